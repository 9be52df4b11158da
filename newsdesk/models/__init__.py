"""Editorial models: sources, people, topics, articles and what hangs off them."""

from newsdesk.models.articles import (
    Article,
    ArticleAuthor,
    ArticlePaths,
    ArticleQuerySet,
    ArticleRedirect,
    ArticleStatus,
    Quote,
    RelatedLink,
    published_article,
    published_through,
    retracted_article,
)
from newsdesk.models.base import (
    BCP47_RE,
    TimeStampedModel,
    normalise_domain,
    validate_language_tag,
)
from newsdesk.models.comments import (
    Comment,
    CommentQuerySet,
    CommentStatus,
)
from newsdesk.models.corrections import (
    Correction,
    CorrectionKind,
    CorrectionQuerySet,
)
from newsdesk.models.drafts import DRAFT_MAX_BYTES, FormDraft
from newsdesk.models.media import (
    ALT_TEXT_MISSING,
    Image,
    ImageQuerySet,
)
from newsdesk.models.people_sources_topics import (
    Person,
    Reliability,
    Source,
    SourceKind,
    SourceQuerySet,
    Topic,
)
from newsdesk.models.reviews import (
    ReviewNote,
    ReviewNoteQuerySet,
    ReviewVerdict,
)
from newsdesk.models.revisions import (
    ArticleRevision,
    ArticleRevisionQuerySet,
    RevisionKind,
)
from newsdesk.models.stored_pages import (
    StoredArticlePage,
    StoredArticlePageRef,
    StoredArticlePageTag,
)

__all__ = [
    "ArticlePaths",
    "StoredArticlePage",
    "StoredArticlePageRef",
    "StoredArticlePageTag",
    "BCP47_RE",
    "validate_language_tag",
    "normalise_domain",
    "TimeStampedModel",
    "SourceKind",
    "Reliability",
    "SourceQuerySet",
    "Source",
    "Person",
    "Topic",
    "ArticleStatus",
    "ArticleQuerySet",
    "Article",
    "published_article",
    "published_through",
    "retracted_article",
    "ArticleAuthor",
    "ArticleRedirect",
    "RelatedLink",
    "Quote",
    "CorrectionKind",
    "CorrectionQuerySet",
    "Correction",
    "CommentStatus",
    "CommentQuerySet",
    "Comment",
    "DRAFT_MAX_BYTES",
    "FormDraft",
    "ALT_TEXT_MISSING",
    "Image",
    "ImageQuerySet",
    "ReviewVerdict",
    "ReviewNoteQuerySet",
    "ReviewNote",
    "RevisionKind",
    "ArticleRevisionQuerySet",
    "ArticleRevision",
]
