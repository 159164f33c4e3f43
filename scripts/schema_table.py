"""Print the Markdown field table of a content type, generated from the schema, for the

A thin wrapper: the tool is fazhi.cli.schema_table (also installed as the console script
`fazhi-schema-table`)."""

try:
    from fazhi.cli.schema_table import run
except ModuleNotFoundError as missing:  # run by another Python than the project's .venv
    raise SystemExit(f"找不到所需的软件包“{missing.name}”：请在项目文件夹中用 .venv/bin/python scripts/schema_table.py 运行"
                     "（第一次使用前先运行 bash scripts/setup.sh 安装）。") from None

if __name__ == "__main__":
    run()
