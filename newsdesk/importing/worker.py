"""The database-free part of an import, run in worker processes for large batches."""

from __future__ import annotations

from dataclasses import replace

from newsdesk.importing.parser import FileAnalysis, analyse_file
from newsdesk.rendering import render_markdown


def prepare_file(path: str) -> FileAnalysis:
    """Parse a file and render its body to HTML, so the writer only has to save it."""
    analysis = analyse_file(path)
    if analysis.article is None:
        return analysis
    return replace(analysis, body_html=render_markdown(analysis.article.body))
