"""Build a site once and report, as one JSON line, the wall and CPU time, the peak memory and
the time spent inside search: Material's search plugin handlers (all of the search work
when the fazhi plugin has `search: false`; only its settings otherwise) and the methods of
fazhi.search.build.SearchBuild, through which the fazhi plugin does all of its search work
(start the indexer, hand it each page, finish, wait). CPU time is reported too because
wall time swings when other work shares the machine. Our index is built by a child process
(fazhi.search.indexer) while the pages are rendered: its CPU time counts as search, and
the peak memory is that of both processes together (fazhi.procmem).

    python -m fazhi.search.buildprobe path/to/mkdocs.yml path/to/site"""

from __future__ import annotations

import functools
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config

from fazhi.procmem import TreeMemorySampler
from fazhi.search.build import SearchBuild

spent = {"search": 0.0, "search_cpu": 0.0}
_depth = [0]  # timed calls under way: a timed call inside another is counted once


def main(config_file: str, site_dir: str) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    started, cpu = time.perf_counter(), time.process_time()
    config = load_config(config_file=config_file, site_dir=site_dir, strict=True)
    stock = config.plugins.get("material/search")
    for handlers in config.plugins.events.values():
        handlers[:] = [_timed(h) if _is_stock(h, stock) else h for h in handlers]
    _time_search_build()
    config.plugins.on_startup(command="build", dirty=False)
    sampler = TreeMemorySampler(os.getpid())
    sampler.start()
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
        sampler.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = children.ru_utime + children.ru_stime
    print(json.dumps({
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu + child_cpu,
        "search_seconds": spent["search"],
        "search_cpu_seconds": spent["search_cpu"] + child_cpu,
        "peak_mb": max(sampler.peak_kb, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024,
    }))


# ---- Helper functions ----


def _is_stock(handler: Callable[..., Any], stock: object) -> bool:
    return stock is not None and getattr(handler, "__self__", None) is stock


def _time_search_build() -> None:
    """Time every public method of SearchBuild, on the class: the plugin makes a new
    instance in on_startup (plugin.search), and each one is timed."""
    for name, value in list(vars(SearchBuild).items()):
        if not name.startswith("_") and callable(value) and not isinstance(value, (staticmethod, classmethod, type)):
            setattr(SearchBuild, name, functools.wraps(value)(_timed(value)))


def _timed(handler: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        if _depth[0]:
            return handler(*args, **kwargs)
        _depth[0] += 1
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return handler(*args, **kwargs)
        finally:
            spent["search"] += time.perf_counter() - started
            spent["search_cpu"] += time.process_time() - cpu
            _depth[0] -= 1

    # Keep what MkDocs and the fazhi plugin look at when they sort or remove handlers
    # (fazhi.search.build.switch_off_stock_index removes the stock plugin's by __self__).
    timed.__self__ = getattr(handler, "__self__", None)  # type: ignore[attr-defined]  # mypy knows no such attribute on a function; Python lets one set any
    timed.mkdocs_priority = getattr(handler, "mkdocs_priority", 0)  # type: ignore[attr-defined]  # mypy knows no such attribute on a function; Python lets one set any
    return timed


if __name__ == "__main__":
    main(*sys.argv[1:3])
