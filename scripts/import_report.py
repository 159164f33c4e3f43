"""Turn the plain-text original of an annual 法治政府建设 report into the site's Markdown pages.

A thin wrapper: the tool is fazhi.cli.import_report (also installed as the console script
`fazhi-import-report`)."""

try:
    from fazhi.cli.import_report import run
except ModuleNotFoundError as missing:  # run by another Python than the project's .venv
    raise SystemExit(f"找不到所需的软件包“{missing.name}”：请在项目文件夹中用 .venv/bin/python scripts/import_report.py 运行"
                     "（第一次使用前先运行 bash scripts/setup.sh 安装）。") from None

if __name__ == "__main__":
    run()
