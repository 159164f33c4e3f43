"""检查网站内容：页面信息（front matter）、链接、内容安全、错别字和更新情况。

A thin wrapper: the tool is fazhi.cli.check (also installed as the console script
`fazhi-check`)."""

try:
    from fazhi.cli.check import run
except ModuleNotFoundError as missing:  # run by another Python than the project's .venv
    raise SystemExit(f"找不到所需的软件包“{missing.name}”：请在项目文件夹中用 .venv/bin/python scripts/check.py 运行"
                     "（第一次使用前先运行 bash scripts/setup.sh 安装）。") from None

if __name__ == "__main__":
    run()
