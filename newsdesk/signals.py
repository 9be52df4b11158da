"""Signal receivers: used only to invalidate caches when content changes."""
