"""Print the Markdown field table of a content type, generated from the schema, for the

A thin wrapper: the tool is fazhi.cli.schema_table (also installed as the console script
`fazhi-schema-table`)."""

from fazhi.cli.schema_table import run

if __name__ == "__main__":
    run()
