"""deploy/nginx.conf run for real in Debian's nginx, for the hosting tests and the Lighthouse
measurement (scripts/lighthouse.py): what a maintainer does, with throwaway values.

`Nginx(work).start(host)` fills the configuration's placeholders (and nothing else), writes a
self-signed certificate for `host` with openssl, includes the filled file in Debian's own
/etc/nginx/nginx.conf in place of its conf.d/ and sites-enabled/ folders (logs and pid file
moved to `work`), runs `nginx -t`, then starts nginx in the foreground on ports 80 and 443.
The web root is `work/www`; deploy the site into `work/www/fazhi` with fazhi.hosting.deploy.

nginx runs in a network namespace of its own, reached at `.address` through a veth pair
(iproute2), so that the ports 80 and 443 of this machine (a running nginx, a second test
run, the Lighthouse script) are never in the way. Where namespaces cannot be made (no
CAP_NET_ADMIN), it listens on this machine's own ports at 127.0.0.1, if they are free.
Needs root (the ports, the namespace, nginx's worker user) and Debian's nginx, openssl and
iproute2 (scripts/setup.sh installs them)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from fazhi.cli import project_root

CONFIG = project_root() / "deploy/nginx.conf"
DEBIAN_MAIN = Path("/etc/nginx/nginx.conf")
NGINX = "/usr/sbin/nginx"
# No name is the start of another, so they can be replaced in any order (sed included).
PLACEHOLDERS = ("REPLACE_ME_HOST", "REPLACE_ME_CERT_FILE", "REPLACE_ME_KEY_FILE", "REPLACE_ME_WEB_ROOT")
PORTS = (80, 443)
START_SECONDS = 10.0


class NginxError(Exception):
    """nginx could not be configured or started; the message says why (nginx's own output)."""


def filled(text: str, values: dict[str, str]) -> str:
    """`text` with each placeholder replaced by `values[placeholder]`. NginxError when a
    value is missing or any REPLACE_ME is left."""
    missing = [name for name in PLACEHOLDERS if name not in values]
    if missing:
        raise NginxError(f"缺少占位符的值：{'、'.join(missing)}")
    for name in PLACEHOLDERS:
        text = text.replace(name, values[name])
    left = sorted(set(re.findall(r"REPLACE_ME\w*", text)))
    if left:
        raise NginxError(f"deploy/nginx.conf 中还有未知的占位符：{'、'.join(left)}")
    return text


class Nginx:
    """One nginx instance serving deploy/nginx.conf from the folder `work`."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.web_root = work / "www"
        self.process: subprocess.Popen[bytes] | None = None
        self.test_output = ""  # what `nginx -t` printed
        self.address = "127.0.0.1"  # where nginx answers; its namespace's, once started
        self.namespace: Namespace | None = None

    def start(self, host: str, config: str | None = None) -> None:
        """Configure, check (`nginx -t`) and start nginx for https://`host`/ with
        deploy/nginx.conf, or with `config` (a text with the same placeholders). NginxError
        when nginx or openssl is missing, a port is taken, or nginx refuses the configuration."""
        for tool in (NGINX, "openssl"):
            if not shutil.which(tool):
                raise NginxError(f"找不到 {tool}：请用 root 运行 bash scripts/setup.sh（会安装 Debian 的 nginx 和 openssl）。")
        try:
            self.namespace = Namespace.create()
            if self.namespace is not None:
                self.address = self.namespace.address
            self._run(host, CONFIG.read_text(encoding="utf-8") if config is None else config)
        except BaseException:  # nothing left behind: no nginx, no namespace
            self.stop()
            raise

    def _run(self, host: str, config: str) -> None:
        taken = [port for port in PORTS if self.answers(port)]
        if taken:
            raise NginxError(f"端口 {'、'.join(map(str, taken))} 已被占用（也许是系统的 nginx：nginx -s quit），无法运行 deploy/nginx.conf。")
        self.work.mkdir(parents=True, exist_ok=True)
        self.work.chmod(0o755)  # nginx's workers run as www-data and read the web root
        self.web_root.mkdir(exist_ok=True)
        certificate, key = self.work / "site.crt", self.work / "site.key"
        _self_signed(host, certificate, key)
        site_config = self.work / "fazhi.conf"
        site_config.write_text(filled(config, {
            "REPLACE_ME_HOST": host, "REPLACE_ME_CERT_FILE": str(certificate),
            "REPLACE_ME_KEY_FILE": str(key), "REPLACE_ME_WEB_ROOT": str(self.web_root),
        }), encoding="utf-8")
        main = self.work / "nginx.conf"
        main.write_text(self._main_config(site_config), encoding="utf-8")
        test = subprocess.run([NGINX, "-t", "-c", str(main)], capture_output=True, text=True, check=False)
        self.test_output = test.stdout + test.stderr
        if test.returncode != 0:
            raise NginxError(f"nginx -t 不通过：\n{self.test_output}")
        inside = self.namespace.command() if self.namespace is not None else []
        # nginx writes its messages to error.log in `work` (error_log above).
        self.process = subprocess.Popen([*inside, NGINX, "-c", str(main), "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_SECONDS
        while not all(self.answers(port) for port in PORTS):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise NginxError(f"nginx 没有启动：\n{self.error_log()}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop nginx (a quick shutdown), wait for it, and remove its namespace."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=START_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.namespace is not None:
            self.namespace.remove()
            self.namespace = None

    def answers(self, port: int) -> bool:
        """True when something accepts connections on `port` at `.address`."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.2)
            return probe.connect_ex((self.address, port)) == 0

    def error_log(self) -> str:
        log = self.work / "error.log"
        return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""

    def _main_config(self, site_config: Path) -> str:
        """Debian's nginx.conf with the site's file in place of conf.d/ and sites-enabled/,
        and its pid file and logs in the work folder."""
        text = DEBIAN_MAIN.read_text(encoding="utf-8")
        replacements = {
            r"^pid\s+[^;]+;": f"pid {self.work / 'nginx.pid'};",
            r"^error_log\s+[^;]+;": f"error_log {self.work / 'error.log'};",
            r"^(\s*)access_log\s+[^;]+;": rf"\g<1>access_log {self.work / 'access.log'};",
            r"^(\s*)include /etc/nginx/conf\.d/\*\.conf;": rf"\g<1>include {site_config};",
            r"^(\s*)include /etc/nginx/sites-enabled/\*;": "",
        }
        for pattern, replacement in replacements.items():
            text, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
            if count != 1 and "sites-enabled" not in pattern:
                raise NginxError(f"{DEBIAN_MAIN} 的格式与预期不同（找不到 {pattern}），无法在其中运行 deploy/nginx.conf。")
        return text


def _self_signed(host: str, certificate: Path, key: Path) -> None:
    """A throwaway certificate for `host`, valid for two days. NginxError if openssl fails."""
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "2", "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}",
         "-keyout", str(key), "-out", str(certificate)],
        capture_output=True, text=True, check=False,
    )
    if made.returncode != 0:
        raise NginxError(f"openssl 没能生成临时证书：\n{made.stderr}")


class Namespace:
    """A network namespace joined to this machine by a veth pair: this side 10.231.N.1, the
    namespace's side 10.231.N.2 (a /30 of the private 10/8, N from the process id)."""

    def __init__(self, name: str, number: int) -> None:
        self.name = name
        self.outside = f"fz{number}o"
        self.address = f"10.231.{number}.2"

    @classmethod
    def create(cls) -> Namespace | None:
        """A new namespace; None where this machine does not allow one (or has no iproute2)."""
        if not shutil.which("ip"):
            return None
        for attempt in range(8):
            number = (os.getpid() + attempt) % 250 + 1
            namespace = cls(f"fazhi-nginx-{number}", number)
            inside = f"fz{number}i"
            if subprocess.run(["ip", "netns", "add", namespace.name], capture_output=True, check=False).returncode != 0:
                continue  # taken (another instance, another run) or not allowed here
            steps = [
                ["ip", "link", "add", namespace.outside, "type", "veth", "peer", "name", inside],
                ["ip", "link", "set", inside, "netns", namespace.name],
                ["ip", "addr", "add", f"10.231.{number}.1/30", "dev", namespace.outside],
                ["ip", "link", "set", namespace.outside, "up"],
                [*namespace.command(), "ip", "addr", "add", f"{namespace.address}/30", "dev", inside],
                [*namespace.command(), "ip", "link", "set", inside, "up"],
                [*namespace.command(), "ip", "link", "set", "lo", "up"],
            ]
            for step in steps:
                if subprocess.run(step, capture_output=True, check=False).returncode != 0:
                    namespace.remove()
                    break
            else:
                return namespace
        return None

    def command(self) -> list[str]:
        """The prefix that runs a command inside the namespace."""
        return ["ip", "netns", "exec", self.name]

    def remove(self) -> None:
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True, check=False)
        subprocess.run(["ip", "link", "del", self.outside], capture_output=True, check=False)
