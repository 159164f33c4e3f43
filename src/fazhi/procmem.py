"""Peak memory of a process together with its children, for the benchmarks.

The site's build runs two processes side by side (the search index is built by a child),
so the figure that matters is their summed resident memory. The kernel's own peak
(ru_maxrss) cannot give it: a child's peak includes the pages it shared with its parent
before it started its own program. So the tree is sampled instead."""

from __future__ import annotations

import threading
from pathlib import Path


class TreeMemorySampler(threading.Thread):
    """Largest sum of resident memory (VmRSS) of a process and all its descendants."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.02):
            self.peak_kb = max(self.peak_kb, sum(map(_rss_kb, _process_tree(self.pid))))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _process_tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    tree = [root]
    for pid in tree:
        tree += [child for child, parent in parents.items() if parent == pid]
    return tree


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass  # the process ended meanwhile
    return 0
