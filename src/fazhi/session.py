"""Whether this run is `mkdocs build` or `mkdocs serve` (and whether `--dirty` was given),
and what a dirty preview keeps from one rebuild to the next. MkDocs tells only on_startup,
once per run; the plugin (fazhi.plugin) keeps a Session and fills it in there."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Session:
    serving: bool = False  # `mkdocs serve`: the reader waits for the page, not for everything
    dirty: bool = False  # `--dirty`: MkDocs renders only the pages whose source changed
    marker_blocks: dict[str, str] = field(default_factory=dict)  # fazhi.articles.pages, dirty preview
    _generated: Path | None = None
    _empty: Path | None = None

    def start(self, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty
        self.marker_blocks.clear()

    def generated_dir(self) -> Path:
        """A private folder for the text of generated pages during a dirty preview: a page
        whose text is unchanged keeps its file and its time stamp, so MkDocs skips it."""
        if self._generated is None:
            self._generated = Path(tempfile.mkdtemp(prefix="fazhi-generated-"))
        return self._generated

    def empty_dir(self) -> Path:
        """An empty folder a preview's build lists in place of docs/ when docs/ holds a
        symlink, a pipe or a device: MkDocs would follow a symlink to / for ever."""
        if self._empty is None:
            self._empty = Path(tempfile.mkdtemp(prefix="fazhi-empty-docs-"))
        return self._empty

    def end(self) -> None:
        for folder in (self._generated, self._empty):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        self._generated = self._empty = None

