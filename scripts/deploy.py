"""把生成好的网站部署到网页根目录下的文件夹：.venv/bin/python scripts/deploy.py site /srv/www/fazhi

A thin wrapper: the tool is fazhi.cli.deploy (also installed as the console script
`fazhi-deploy`)."""

try:
    from fazhi.cli.deploy import run
except ModuleNotFoundError as missing:  # run by another Python than the project's .venv
    raise SystemExit(f"找不到所需的软件包“{missing.name}”：请在项目文件夹中用 .venv/bin/python scripts/deploy.py 运行"
                     "（第一次使用前先运行 bash scripts/setup.sh 安装）。") from None

if __name__ == "__main__":
    run()
