"""The traffic mix as one seeded request stream, and what caches make of it.

`build_stream` draws the requests readers and API clients make, in order;
readers' pages carry the `Accept-Language` their browsers send (an entry is
`path` or `path<TAB>Accept-Language`).
`replay` runs a stretch of that stream, with the editor's writes at the
times they happened, through models of a cache: `ideal` (nothing is ever
invalidated: only a URL's first request misses, the ceiling any design can
reach on that stretch) and `global_version` (the design before cache tags:
one content version bumped by every write readers can see, validators
rolled every 60 s, and any query parameter the view does not read —
tracking parameters included — bypassing the cache). `explain` reads the
per-request log of a real run and says which kinds of URL missed, and
whether for the first time or again.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

# Share of requests per kind; article reads split again by TRACKED_SHARE.
MIX = {"article": 0.70, "home": 0.10, "topic": 0.08, "api": 0.12}
TRACKED_SHARE = 0.30
ZIPF_EXPONENT = 1.1
STREAM_LENGTH = 400_000
VALIDATOR_INTERVAL = 60.0
TRACKING = (
    "utm_source=twitter&utm_medium=social&utm_campaign=share-{n}",
    "fbclid=IwAR{n:08x}",
    "utm_source=newsletter&utm_medium=email&mc_cid={n:06x}&mc_eid={n:04x}",
    "gclid=Cj0K{n:08x}",
)
# Parameters the views of the mix read (the old design cached these too).
KNOWN_PARAMS = frozenset({"page_size", "cursor", "page"})
# Readers' Accept-Language headers as browsers send them, and their shares of
# page requests (API clients send none). Most read in English; 17 % ask first
# for another of the site's languages; some ask for one it does not have
# (Dutch, Russian), or send none, and get English.
READER_LANGUAGES = (
    ("en-US,en;q=0.9", 0.53),
    ("en-GB,en;q=0.9", 0.15),
    ("en", 0.05),
    ("", 0.05),
    ("ar-SY,ar;q=0.9,en;q=0.8", 0.05),
    ("ar", 0.02),
    ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", 0.04),
    ("de-DE,de;q=0.9,en;q=0.8", 0.03),
    ("es-ES,es;q=0.9", 0.015),
    ("tr-TR,tr;q=0.9,en;q=0.8", 0.015),
    ("nl-NL,nl;q=0.9,en;q=0.8", 0.03),
    ("ru-RU,ru;q=0.9", 0.02),
)
# The site's languages (settings.LANGUAGES) in the order the edge folds them.
SITE_LANGUAGES = ("en", "ar", "fr", "es", "de", "tr")
_NAMED_LANGUAGE = re.compile(r"(?:^|,)\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]+)*\s*(?=;|,|$)")


def _zipf(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / k**exponent for k in range(1, count + 1)))


def build_stream(
    articles: Sequence[str],
    topics: Sequence[str],
    api: Sequence[str],
    *,
    length: int = STREAM_LENGTH,
    seed: int = 13,
) -> list[str]:
    """`length` request paths in a seeded order with the shares of `MIX`.

    Articles (newest first) are drawn from a Zipf distribution, so a few
    recent stories are hot and the archive is a long tail; 30 % of article
    reads carry a social or newsletter tracking parameter, a distinct value
    per click.
    """
    rng = random.Random(seed)
    # Languages come from their own stream: the paths stay those of the same seed.
    languages = random.Random(seed + 1)
    headers = [header for header, _ in READER_LANGUAGES]
    shares = [share for _, share in READER_LANGUAGES]
    topics = list(topics) or ["/"]
    weights = _zipf(len(articles), ZIPF_EXPONENT)
    topic_weights = _zipf(len(topics), 1.0)
    kinds = rng.choices(list(MIX), weights=list(MIX.values()), k=length)
    paths = []
    for n, kind in enumerate(kinds):
        if kind == "article" and articles:
            index = bisect.bisect(weights, rng.random() * weights[-1])
            path = articles[min(index, len(articles) - 1)]
            if rng.random() < TRACKED_SHARE:
                path += "?" + rng.choice(TRACKING).format(n=n)
        elif kind == "topic":
            index = bisect.bisect(topic_weights, rng.random() * topic_weights[-1])
            path = topics[min(index, len(topics) - 1)]
        elif kind == "api" and api:
            path = rng.choice(api)
        else:
            path = "/"
        if not path.startswith("/api/"):
            path = entry(path, languages.choices(headers, weights=shares)[0])
        paths.append(path)
    return paths


def entry(path: str, language: str = "") -> str:
    """One request of the stream: its path, and its Accept-Language if any."""
    return f"{path}\t{language}" if language else path


def parts(item: str) -> tuple[str, str]:
    """(path, Accept-Language) of a stream entry."""
    path, _, language = item.partition("\t")
    return path, language


def fold_language(header: str) -> str:
    """The site language an answer is in: the first of `SITE_LANGUAGES` the
    header names, else English (the edge's rule, `deploy/varnish/default.vcl`)."""
    for match in _NAMED_LANGUAGE.finditer(header or ""):
        code = match.group(1).lower()
        if code in SITE_LANGUAGES:
            return code
    return "en"


def is_tracking(name: str) -> bool:
    from newsdesk.http.keys import is_tracking as product_rule

    return product_rule(name)


def split(path: str) -> tuple[str, list[tuple[str, str]]]:
    url = urlsplit(parts(path)[0])
    return url.path, parse_qsl(url.query, keep_blank_values=True)


def clean(path: str, language: str | None = None) -> str:
    """The variant a cache keeps for a request: the path without tracking
    parameters, the rest sorted, and for pages the language they are in.

    `path` is a stream entry, or a bare path with its `language` header (a
    log line). English is the bare path; another language is the entry that
    asks for it (`/topics/syria/<TAB>fr`), so the result can be requested.
    """
    if language is None:
        path, language = parts(path)
    base, pairs = split(path)
    kept = sorted((k, v) for k, v in pairs if not is_tracking(k))
    url = f"{base}?{urlencode(kept)}" if kept else base
    if base.startswith("/api/"):
        return url
    folded = fold_language(language)
    return url if folded == "en" else entry(url, folded)


def kind_of(path: str) -> str:
    base, pairs = split(path)
    if base == "/":
        return "home"
    if base.startswith("/topics/"):
        return "topic"
    if base.startswith("/api/"):
        return "api"
    if any(is_tracking(k) for k, _ in pairs):
        return "article, tracked"
    return "article"


def timeline(phases: Iterable[dict[str, Any]]) -> list[tuple[float, str]]:
    """(time, path) of every request of `phases`, spread evenly over each phase.

    A phase is `{"paths": [...], "started": t0, "ended": t1}` (wall-clock).
    """
    out = []
    for phase in phases:
        paths, t0, t1 = phase["paths"], phase["started"], phase["ended"]
        step = (t1 - t0) / max(len(paths), 1)
        out += [(t0 + i * step, path) for i, path in enumerate(paths)]
    return out


def replay(
    requests: Sequence[tuple[float, str]],
    writes: Sequence[float],
    *,
    measured_from: float,
) -> dict[str, Any]:
    """Hit ratios of the cache models over the requests from `measured_from` on.

    Every request before it (the warm-up) fills the models' caches too.
    """
    writes = sorted(writes)
    seen: set[str] = set()
    stored: dict[str, float] = {}
    counts: dict[str, Counter] = {"ideal": Counter(), "global_version": Counter()}
    for moment, path in requests:
        measured = moment >= measured_from
        key = clean(path)
        hit = key in seen
        seen.add(key)
        if measured:
            counts["ideal"]["hit" if hit else "miss"] += 1
        # The old design: one version, bumped by every reader-visible write,
        # and validators that roll over every interval.
        base, pairs = split(path)
        if any(k not in KNOWN_PARAMS for k, _ in pairs):
            old_hit = False  # any parameter it did not know bypassed the cache
        else:
            last_write = writes[bisect.bisect(writes, moment) - 1] if writes else 0.0
            if writes and writes[0] > moment:
                last_write = 0.0
            bucket = moment // VALIDATOR_INTERVAL * VALIDATOR_INTERVAL
            validator = max(last_write, bucket)
            variant = entry(parts(path)[0], parts(key)[1])
            old_hit = stored.get(variant) == validator
            stored[variant] = validator
        if measured:
            counts["global_version"]["hit" if old_hit else "miss"] += 1
    return {
        name: {
            "requests": sum(c.values()),
            "hit_ratio": round(c["hit"] / sum(c.values()), 4) if c else None,
        }
        for name, c in counts.items()
    }


def read_log(path: Path, *, last: int, skip: Iterable[str] = ("/robots.txt",)) -> list:
    """The last `last` (path, verdicts...) lines of a per-request log, probes left out.

    The first field is a path (varnishncsa) or a request line (gunicorn's
    access log: only GETs are kept, the editor's writes are not reads).
    """
    skipped = tuple(skip)
    rows = []
    for line in path.read_text(errors="replace").splitlines():
        fields = line.split("\t")
        if " " in fields[0]:
            method, _, rest = fields[0].partition(" ")
            if method not in {"GET", "HEAD"}:
                continue
            fields[0] = rest.split(" ")[0]
        if fields[0] and not fields[0].startswith(skipped):
            rows.append(fields)
    return rows[-last:] if last else rows


def _percentile(values: Sequence[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def explain(
    rows: Sequence[Sequence[str]],
    *,
    verdict: int,
    earlier: Sequence[Sequence[str]],
    seconds: int | None = None,
    language: int | None = None,
) -> dict[str, Any]:
    """Which kinds of URL missed in `rows`, first requests apart from repeats.

    `verdict` is the column holding HIT/MISS/PASS; `earlier` are the rows
    before (the warm-up), so a URL requested then is not a first request.
    A repeated miss means the stored answer was purged (or expired) in
    between; the URLs that missed again most often are listed. With
    `seconds`, the column of the time the server took (microseconds): the
    p50/p99 of hits and misses per kind, and what the slowest 1 % were.
    With `language`, the column of the request's Accept-Language: each
    language a page is kept in is its own URL.
    """

    def variant(row: Sequence[str]) -> str:
        if language is None:
            return clean(row[0])
        header = row[language] if len(row) > language else ""
        return clean(row[0], "" if header == "-" else header)

    seen = {variant(row) for row in earlier}
    per_kind: dict[str, Counter] = defaultdict(Counter)
    again: Counter = Counter()
    timed: dict[tuple[str, str], list[float]] = defaultdict(list)
    every: list[tuple[float, str]] = []
    for row in rows:
        path = row[0]
        key = variant(row)
        kind = kind_of(path)
        result = (row[verdict] if len(row) > verdict else "").strip().upper() or "-"
        per_kind[kind]["requests"] += 1
        if result == "HIT":
            per_kind[kind]["hit"] += 1
        elif key in seen:
            per_kind[kind]["miss, repeated"] += 1
            again[key] += 1
        else:
            per_kind[kind]["miss, first request"] += 1
        seen.add(key)
        if seconds is not None and len(row) > seconds:
            try:
                ms = int(row[seconds]) / 1000
            except ValueError:
                continue
            outcome = "hit" if result == "HIT" else "miss"
            timed[(kind, outcome)].append(ms)
            every.append((ms, f"{kind} {outcome}"))
    times = {
        kind: {
            f"{outcome}_{name}": _percentile(timed[(kind, outcome)], share)
            for outcome in ("hit", "miss")
            for name, share in (("p50", 0.5), ("p99", 0.99))
        }
        for kind in per_kind
    }
    every.sort(reverse=True)
    tail = every[: max(1, len(every) // 100)] if every else []
    return {
        "kinds": {kind: dict(c) for kind, c in sorted(per_kind.items())},
        "times": times,
        "slowest": {
            "requests": len(tail),
            "from_ms": tail[-1][0] if tail else None,
            "by_kind": Counter(what for _, what in tail).most_common(),
        },
        "repeated_misses": again.most_common(8),
    }
