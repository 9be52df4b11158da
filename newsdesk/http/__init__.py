"""HTTP caching for public answers: validators, conditional responses, stored renderings.

- `validators`: what an answer's ETag/Last-Modified are made of.
- `conditional`: `public_page`, 304s through Django's `get_conditional_response`.
- `storage`: rendered anonymous answers kept in the shared cache.
- `keys`: the cache keys of those renderings.
"""
