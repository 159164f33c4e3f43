"""Lighthouse（手机）测量：按部署方式生成网站、用 deploy/nginx.conf 在 nginx 中运行，测五个主要页面。

    .venv/bin/python scripts/lighthouse.py --runs 3

A thin wrapper: the tool is fazhi.hosting.lighthouse (its docstring says what is measured
and when the run fails)."""

try:
    from fazhi.hosting.lighthouse import run
except ModuleNotFoundError as missing:  # run by another Python than the project's .venv
    raise SystemExit(f"找不到所需的软件包“{missing.name}”：请在项目文件夹中用 .venv/bin/python scripts/lighthouse.py 运行"
                     "（第一次使用前先运行 bash scripts/setup.sh 安装）。") from None

if __name__ == "__main__":
    run()
