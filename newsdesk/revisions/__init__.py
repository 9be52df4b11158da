"""Revisions of articles: snapshots, comparing them, publishing staged changes."""
