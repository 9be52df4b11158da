"""Revisions of articles: snapshots of what readers see, and staged edits of live ones.

`snapshot.py` takes and applies snapshots, `recording.py` keeps a revision of
every save that changed one, `services.py` stages, publishes and discards the
pending changes of a live article, `compare.py` compares two snapshots
word by word.
"""
