"""One set of rules, two front ends: scripts/check.py exits 1 exactly when
`mkdocs build --strict` refuses the site.

Every fault of the checker's corpus (tests/checker_corpus.py: FAULTS, then AGREEMENT_FAULTS)
is written into its own copy of the clean corpus site, and both commands run on it as real
subprocesses, today fixed at the corpus' TODAY (FAZHI_TODAY). For every case: the two verdicts
agree; an error stops both and warnings stop neither; a stopped build lists the checker's
Chinese `file:line` messages; neither ever prints a Python traceback. The clean site passes
both. Two cases run at a time (CI has two cores)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from fazhi.checks import Context, run_all
from fazhi.sources import schema

from checker_corpus import AGREEMENT_FAULTS, FAULTS, TODAY, AgreementFault, write_clean_site

pytestmark = pytest.mark.generated_content  # never reads docs/: run once, not again in the staff journey's copy

REPO = Path(__file__).resolve().parents[1]
CHECK = REPO / "scripts/check.py"
ENV = {**os.environ, "FAZHI_TODAY": TODAY.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
TIMEOUT = 120  # seconds for one command; a case takes about two

CLEAN = AgreementFault("clean site", {}, refused=False, expected=frozenset())
CASES: list[AgreementFault] = [
    CLEAN,
    *(AgreementFault(fault.name, fault.files, fault.refused, fault.expected) for fault in FAULTS),
    *AGREEMENT_FAULTS,
]
assert len({case.name for case in CASES}) == len(CASES), "case names must be unique"

# For a case that needs the schema registry changed: both commands run with
# fazhi.sources.schema.SCHEMA_DIR pointed at a changed copy of the package's schemas (in the
# case's project folder), set before anything reads it; then the same entry points as
# `python scripts/check.py` and `python -m mkdocs`.
WITH_SCHEMAS = """\
import runpy, sys
from pathlib import Path
import fazhi.sources.schema
fazhi.sources.schema.SCHEMA_DIR = Path(sys.argv.pop(1))
command = sys.argv.pop(1)
sys.argv[0] = command
if command == "mkdocs":
    runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
else:
    runpy.run_path(command, run_name="__main__")
"""

ERROR_LINE = re.compile(r"^\S+: 错误 ")  # fazhi.findings.Finding.text() of an error


@dataclass(frozen=True)
class Outcome:
    check: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    site: Path
    seconds: float

    @property
    def check_refused(self) -> bool:
        return self.check.returncode == 1

    @property
    def build_refused(self) -> bool:
        return self.build.returncode != 0

    def report(self) -> str:
        """Both commands' exit status and first lines, for a failing assertion."""
        return (f"\n--- scripts/check.py: exit {self.check.returncode}\n{_first_lines(self.check)}"
                f"\n--- mkdocs build --strict: exit {self.build.returncode}\n{_first_lines(self.build)}")


def run_case(case: AgreementFault, root: Path) -> Outcome:
    """Write the clean site with the case's files over it, then check it and build it."""
    started = time.monotonic()
    write_clean_site(root)
    inject(root, case.files)
    check = [sys.executable, str(CHECK)]
    mkdocs = [sys.executable, "-m", "mkdocs"]
    if case.registry is not None:
        schemas = root / "schemas"
        shutil.copytree(schema.SCHEMA_DIR, schemas)
        registry = schemas / "registry.yml"
        registry.write_text(case.registry(registry.read_text(encoding="utf-8")), encoding="utf-8")
        check = [sys.executable, "-c", WITH_SCHEMAS, str(schemas), str(CHECK)]
        mkdocs = [sys.executable, "-c", WITH_SCHEMAS, str(schemas), "mkdocs"]
    site = root / "site"
    checked = _run([*check, "--root", str(root)], root)
    built = _run([*mkdocs, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)], root)
    return Outcome(checked, built, site, time.monotonic() - started)


def inject(root: Path, files: dict[str, bytes | str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[Outcome]]]:
    """The selected cases, started in test order on two workers: each test waits for its own."""
    selected = [
        item.callspec.params["case"] for item in request.session.items  # type: ignore[attr-defined]  # the items the condition keeps are pytest.Function, which has callspec
        if getattr(item, "module", None) is request.module
        and getattr(item, "originalname", None) == test_check_and_strict_build_agree.__name__
    ]
    pool = ThreadPoolExecutor(max_workers=2)
    futures: dict[str, Future[Outcome]] = {}
    for number, case in enumerate(selected):
        if case.name not in futures:
            futures[case.name] = pool.submit(run_case, case, tmp_path_factory.mktemp(f"agreement-{number}"))
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


CONFIG_CODE = "[config-plugin-option]"
CONFIG_REASON = re.compile(r"插件的设置“[^”]+”不对：(.+?)。修改方法")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_check_and_strict_build_agree(case: AgreementFault, outcomes: dict[str, Future[Outcome]]) -> None:
    outcome = outcomes[case.name].result()
    report = outcome.report()
    for command, result in (("scripts/check.py", outcome.check), ("mkdocs build", outcome.build)):
        assert "Traceback" not in result.stdout + result.stderr, f"{command} crashed:{report}"
    assert outcome.check.returncode in (0, 1), f"scripts/check.py exit status:{report}"
    assert outcome.check_refused == outcome.build_refused, f"the checker and the build disagree:{report}"
    verdict = "refuse" if case.refused else "accept"
    assert outcome.check_refused == case.refused, f"scripts/check.py should {verdict}:{report}"
    assert outcome.build_refused == case.refused, f"mkdocs build --strict should {verdict}:{report}"
    for _path, _line, code in case.expected or ():
        assert f"[{code}]" in outcome.check.stdout, f"scripts/check.py does not report {code}:{report}"
    if outcome.build_refused and CONFIG_CODE in outcome.check.stdout:
        # MkDocs itself stops on the plugin's settings, printing our config classes' Chinese
        # message: the same words the checker shows with the line of mkdocs.yml.
        build_output = outcome.build.stdout + outcome.build.stderr
        reasons = CONFIG_REASON.findall(outcome.check.stdout)
        assert reasons and all(reason in build_output for reason in reasons), f"the build does not give the checker's reason:{report}"
    elif outcome.build_refused:
        # The plugin stops with the checker's own Chinese `file:line` messages: those of the
        # source rules, or, when the sources are clean, those of the rendered pages.
        listed = [line for line in (outcome.build.stdout + outcome.build.stderr).splitlines() if ERROR_LINE.match(line)]
        checked = set(outcome.check.stdout.splitlines())
        assert listed and set(listed) <= checked, f"the build does not stop with the checker's messages:{report}"
    if case.shows is not None:
        page, pattern = case.shows
        html = (outcome.site / page).read_text(encoding="utf-8")
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
        assert re.search(pattern, text), f"{page} does not show /{pattern}/"


PINNED = [case for case in AGREEMENT_FAULTS if case.expected is not None and case.registry is None]


@pytest.mark.parametrize("case", PINNED, ids=[case.name for case in PINNED])
def test_agreement_faults_are_found_where_they_are(case: AgreementFault, tmp_path: Path) -> None:
    """The checker's ground truth for the rows above, in-process as tests/test_check.py does."""
    root = write_clean_site(tmp_path)
    inject(root, case.files)
    findings = run_all(Context(root=root, docs=root / "docs", today=TODAY))
    assert {(f.path, f.line, f.code) for f in findings if f.severity in ("error", "warning")} == set(case.expected or ())


# ---- Helper functions ----


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=TIMEOUT)


def _first_lines(result: subprocess.CompletedProcess[str], count: int = 8) -> str:
    """The lines that say something: MkDocs' INFO lines and blank lines left out."""
    lines = [line for line in (result.stdout + result.stderr).splitlines()
             if line.strip() and not line.startswith("INFO")]
    return "\n".join(lines[:count]) + ("\n…" if len(lines) > count else "")
