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
import errno
import math
import sys
from pathlib import Path
from typing import NoReturn

from fazhi.hosting.deploy import KEEP_DAYS, DeployError, deploy

USAGE = ".venv/bin/python scripts/deploy.py 网站文件夹 部署目标 [--keep-days 天数]"
# The causes a maintainer meets, in Chinese (the system's own text is in English).
CAUSES = {
    errno.EACCES: "没有权限（请用有写权限的用户运行，例如 root）",
    errno.EPERM: "没有权限（请用有写权限的用户运行，例如 root）",
    errno.EROFS: "文件系统是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENOTDIR: "路径中的某一段不是文件夹",
    errno.EISDIR: "应是文件的地方是一个文件夹",
    errno.ENOENT: "文件或文件夹不存在",
}


class ChineseParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"用法错误：{message}\n用法：{USAGE}\n")


def days(text: str) -> float:
    """--keep-days: a number of days, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"保留天数应为数字，现在是“{text}”") from None
    if math.isnan(value) or math.isinf(value) or value < 0:
        raise argparse.ArgumentTypeError(f"保留天数应为 0 或正数，现在是“{text}”")
    return value


def run(argv: list[str] | None = None) -> None:
    parser = ChineseParser(prog="scripts/deploy.py", usage=USAGE, description=__doc__.split("\n\n")[0],
                           formatter_class=argparse.RawDescriptionHelpFormatter, add_help=False)
    parser.add_argument("site", type=Path, help="生成好的网站文件夹，通常是 site")
    parser.add_argument("target", type=Path, help="网页根目录下的站点文件夹，例如 /srv/www/fazhi")
    parser.add_argument("--keep-days", type=days, default=KEEP_DAYS,
                        help=f"以前版本带内容指纹的文件保留的天数（默认 {KEEP_DAYS:g}）")
    parser.add_argument("-h", "--help", action="help", help="显示这段说明")
    args = parser.parse_args(argv)
    try:
        done = deploy(args.site, args.target, keep_days=args.keep_days)
    except DeployError as error:
        print(f"部署失败：{error}", file=sys.stderr)
        raise SystemExit(1) from None
    except OSError as error:
        cause = CAUSES.get(error.errno or 0, error.strerror or str(error))
        print(f"部署没有完成：{error.filename or args.target}：{cause}。已写入的文件都是完整的，"
              "网站仍可访问；解决这个问题后重新运行同一条命令即可完成部署。", file=sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print("部署被中断。已写入的文件都是完整的；重新运行同一条命令即可完成部署。", file=sys.stderr)
        raise SystemExit(130) from None
    print(f"已部署到 {args.target}：写入 {done.written} 个文件，未变 {done.unchanged} 个，"
          f"删除 {done.removed} 个；以前版本的 {done.kept} 个带指纹文件暂时保留，{done.pruned} 个已过保留期删除。")
