"""Turn the plain-text original of an annual 法治政府建设 report into the site's Markdown pages.

A thin wrapper: the tool is fazhi.cli.import_report (also installed as the console script
`fazhi-import-report`)."""

from fazhi.cli.import_report import run

if __name__ == "__main__":
    run()
