"""The build benchmark (scripts/bench_build.py) still runs and prints every figure the
README quotes: a small run, so a change that breaks it is noticed before the next
measurement. It asserts what is printed, not how fast anything is."""

from __future__ import annotations

import re
import subprocess
import sys
import time

from fazhi.procmem import TreeMemorySampler

from conftest import REPO


def test_build_benchmark_prints_site_stock_ratio_and_preview_rows() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts/bench_build.py"), "--sizes", "20", "--preview"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    rows = {m[1]: [float(n) for n in m[2].split()] for m in re.finditer(r"^\s+20 (site|stock|ratio)\s+([\d. -]+)$",
                                                                          result.stdout, re.MULTILINE)}
    assert set(rows) == {"site", "stock", "ratio"}, result.stdout
    site, stock = rows["site"], rows["stock"]
    assert all(value > 0 for value in site + stock)  # seconds, MB, site MB, search MB, gzip MB
    # The ratio comes from the unrounded times; the rows show them to 0.1 s.
    assert (site[0] - 0.05) / (stock[0] + 0.05) - 0.01 <= rows["ratio"][0] <= (site[0] + 0.05) / (stock[0] - 0.05) + 0.01
    previews = re.findall(r"preview at 20 articles, (.+): edited article served after ([\d.]+) s", result.stdout)
    assert [label for label, _ in previews] == ["mkdocs serve", "mkdocs serve --dirty"]


def test_memory_sampler_counts_a_child_process() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; data = bytearray(60_000_000); time.sleep(1.5)"])
    sampler = TreeMemorySampler(child.pid)
    sampler.start()
    time.sleep(1.0)
    sampler.stop()
    child.wait()
    assert sampler.peak_kb > 60_000
