"""The database-free part of an import, run in worker processes for large batches."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace

from newsdesk.importing.parser import FileAnalysis
from newsdesk.importing.parser.article import analyse_path
from newsdesk.importing.parser.limits import DEFAULT_LIMITS, ImportLimits
from newsdesk.rendering import render_markdown

# How often a worker checks that the importing process is still there, in seconds.
PARENT_POLL = 0.2


def prepare_file(
    path: str,
    limits: ImportLimits = DEFAULT_LIMITS,
    repeated: frozenset[str] = frozenset(),
) -> list[FileAnalysis]:
    """Parse a file and render its articles' bodies to HTML, so the writer only has
    to save them."""
    return [
        replace(analysis, body_html=render_markdown(analysis.article.body))
        if analysis.article is not None
        else analysis
        for analysis in analyse_path(path, limits, repeated)
    ]


def exit_with_parent(parent: int) -> None:
    """Pool initializer: the worker ends itself when `parent` is gone.

    A killed importer (SIGKILL included) cannot tell its pool to stop, and the
    workers would wait for work for ever; once reparented they notice and exit.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
