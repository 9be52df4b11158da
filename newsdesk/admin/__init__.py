"""The editors' daily tool, one module per screen: articles and their workflow,
their records, sources, people, topics and comments."""

from newsdesk.admin import (  # noqa: F401 - importing a screen registers it
    article_records,
    articles,
    comments,
    media,
    people_sources,
    review,
    site,
)
