"""把生成好的网站部署到网页根目录下的文件夹（nginx 配置见 deploy/nginx.conf）。

    SITE_URL=https://域名/fazhi/ .venv/bin/mkdocs build --strict
    .venv/bin/python scripts/deploy.py site /srv/www/fazhi

先写入带内容指纹的文件，再写其他文件，最后写页面，每个文件整体替换，读者不会看到缺样式的页面；
新版本不再有的页面和文件立即删除，但上一版本带内容指纹的样式、脚本和搜索索引保留 --keep-days 天
（默认 7 天），已经打开旧页面的读者仍能正常使用。只删除本工具以前放入的文件（记录在目标文件夹的
.fazhi-deploy.json 中）；目标文件夹不是空的、又没有这个记录时拒绝部署。

The rules are fazhi.hosting.deploy's. Exit status: 0 deployed, 1 refused or failed (nothing
or, for a file-system error part-way, only whole files were changed), 2 usage error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fazhi.hosting.deploy import KEEP_DAYS, DeployError, deploy


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="scripts/deploy.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="生成好的网站文件夹，通常是 site")
    parser.add_argument("target", type=Path, help="网页根目录下的站点文件夹，例如 /srv/www/fazhi")
    parser.add_argument("--keep-days", type=float, default=KEEP_DAYS,
                        help=f"上一版本带内容指纹的文件保留的天数（默认 {KEEP_DAYS:g}）")
    args = parser.parse_args(argv)
    if args.keep_days < 0:
        parser.error("--keep-days 不能是负数")
    try:
        done = deploy(args.site, args.target, keep_days=args.keep_days)
    except DeployError as error:
        print(f"部署失败：{error}", file=sys.stderr)
        raise SystemExit(1) from None
    except OSError as error:
        print(f"部署失败：{error.filename or ''} {error.strerror or error}。已写入的文件都是完整的；"
              "解决问题（权限、磁盘空间）后重新运行即可。", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"已部署到 {args.target}：写入 {done.written} 个文件，未变 {done.unchanged} 个，"
          f"删除 {done.removed} 个；上一版本的 {done.kept} 个带指纹文件暂时保留，{done.pruned} 个已过保留期删除。")
