"""新建一篇普法文章：写好页面信息（front matter）和正文骨架，日期是今天（北京时间）。

A thin wrapper: the tool is fazhi.cli.new_article (also installed as the console script
`fazhi-new-article`)."""

try:
    from fazhi.cli.new_article import run
except ModuleNotFoundError as missing:  # run by another Python than the project's .venv
    raise SystemExit(f"找不到所需的软件包“{missing.name}”：请在项目文件夹中用 .venv/bin/python scripts/new_article.py 运行"
                     "（第一次使用前先运行 bash scripts/setup.sh 安装）。") from None

if __name__ == "__main__":
    run()
