"""Turning scraped plain-text articles into reviewable drafts.

`parser` is plain Python (no Django) so that an upload form or the API can
reuse it; `importer` writes a parse result to the database.
"""
