"""Turning scraped articles, saved pages, wire items and feeds into reviewable drafts.

`parser` is plain Python (no Django) so that an upload form or the API can
reuse it; `worker` is what worker processes do with a file before the
database is involved; `importer` writes a parse result to the database and
`outcomes` is what the import reports for each file.
"""
