#!/usr/bin/env bash
# Set up everything on a fresh machine and build the site into site/.
#   - a virtual environment in .venv with the pinned Python packages and the project's own
#     package, src/fazhi (requirements.txt);
#   - Debian's packages the tests use, when run as root with apt-get and they are missing
#     (elsewhere it says what to install): chromium and CJK fonts for the browser tests,
#     nginx for the hosting tests (deploy/nginx.conf run for real), a Java runtime and npm
#     for the Nu HTML Checker;
#   - the peer tools pinned in package.json / package-lock.json (vnu-jar, lighthouse) into
#     node_modules/, with `npm ci --ignore-scripts` (vnu-jar's install script would
#     download a Java runtime; Debian's is used);
#   - then `mkdocs build --strict`, unless given --no-build.
# Usage: bash scripts/setup.sh [--no-build] [--no-test-tools]
#   --no-build       install only. The pull-request workflow (.github/workflows/site.yml)
#                    installs this way so that its checker step runs next and writes the
#                    Chinese summary even when the content would fail the build; the strict
#                    build is a later step.
#   --no-test-tools  only what building the site needs (the Python packages): no Debian
#                    packages, no npm tools. For the web server (README, 部署).
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
test_tools=1
for argument in "$@"; do
  case "$argument" in
    --no-build) build=0 ;;
    --no-test-tools) test_tools=0 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "用法错误：不认识的选项“$argument”。用法：bash scripts/setup.sh [--no-build] [--no-test-tools]" >&2; exit 2 ;;
  esac
done

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# The pinned packages and the project itself (the `fazhi` plugin and tools, see pyproject.toml).
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt

debian_packages=()
if [ "$test_tools" = 1 ]; then
  [ -x /usr/bin/chromium ] || debian_packages+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || debian_packages+=(fonts-noto-cjk)
  # The hosting tests run deploy/nginx.conf in their own nginx, in a network namespace of its
  # own (a running nginx on this machine is not in the way).
  [ -x /usr/sbin/nginx ] || debian_packages+=(nginx)
  command -v openssl >/dev/null || debian_packages+=(openssl)
  [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || debian_packages+=(iproute2)
  command -v java >/dev/null || debian_packages+=(default-jre-headless)
  command -v npm >/dev/null || debian_packages+=(npm)
fi
if [ ${#debian_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "安装 Debian 软件包：${debian_packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debian_packages[@]}" >/dev/null
  else
    echo "提示：浏览器测试需要 Debian 软件包 ${debian_packages[*]}，请用 root 运行 apt-get install ${debian_packages[*]}" >&2
  fi
fi

if [ "$test_tools" = 0 ]; then
  echo "没有安装测试工具（--no-test-tools）。"
elif command -v npm >/dev/null; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
else
  echo "提示：HTML 校验测试需要 npm（Debian 软件包 npm），装好后再运行本脚本" >&2
fi

if [ "$build" = 0 ]; then
  echo "已安装，没有生成网站（--no-build）。生成网站：.venv/bin/mkdocs build --strict"
  exit 0
fi
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict
echo "网站已生成在 site/ 目录。本地预览：.venv/bin/mkdocs serve --dirty"
