"""Results as Markdown tables, JSON, and the README's summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.scenarios import SCENARIO_LABELS
from bench.support import BENCH_DIR, RESULTS_DIR
from bench.targets import phase_at


def _queries(scenario: dict[str, Any]) -> str:
    """Queries of the first request with an empty cache → of the next one."""
    cold, warm = scenario.get("queries_cold"), scenario.get("queries")
    return f"{cold} → {warm}" if cold is not None and cold != warm else f"{warm}"


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _single_connection_table(phase: dict[str, Any]) -> list[str]:
    """The search scenarios one connection at a time, next to their loaded p95."""
    rows = [
        (name, s)
        for name, s in phase["scenarios"].items()
        if s.get("single") and s["single"].get("requests")
    ]
    if not rows:
        return []
    lines = [
        "",
        "Search, one connection at a time (a single reader's wait) and under load:",
        "",
        "| Scenario | one connection p50 | p95 | p99 | under load p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, s in rows:
        one = s["single"]["latency_ms"]
        lines.append(
            f"| {SCENARIO_LABELS.get(name, name)} | {_fmt(one['p50'], 1)} "
            f"| {_fmt(one['p95'], 1)} | {_fmt(one['p99'], 1)} "
            f"| {_fmt(s['latency_ms']['p95'], 1)} |"
        )
    return lines


def _paint_table(phase: dict[str, Any]) -> list[str]:
    """Largest Contentful Paint in Chromium and the page weight next to it."""
    paint = phase.get("paint") or {}
    if not paint:
        return []
    if not paint.get("available"):
        return ["", f"Largest Contentful Paint: not measured ({paint.get('reason')})."]
    lines = [
        "",
        f"Largest Contentful Paint in Chromium on loopback (median and worst of "
        f"{paint['runs']} loads, empty browser cache) and the page weight "
        "(HTML + CSS + JS, gzip-compressed, budget 61,440 bytes; on the wire as sent):",
        "",
        "| Page | LCP | worst | LCP element | compressed bytes | on the wire "
        "| files | requests to other hosts |",
        "|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for name, page in paint["pages"].items():
        foreign = len(page["foreign_requests"])
        blocking = len(page["foreign_blocking"])
        lines.append(
            f"| {name} | {_fmt(page['lcp_ms'], 0)} | {_fmt(page['lcp_worst_ms'], 0)} "
            f"| {page['lcp_element'] or '–'} | {_fmt(page['compressed_bytes'])} "
            f"| {_fmt(page['wire_bytes'])} | {page['files']} "
            f"| {foreign} ({blocking} render-blocking) |"
        )
    return lines


def render_markdown(results: dict[str, Any]) -> str:
    machine, settings = results["machine"], results["settings"]
    lines = [
        "# Benchmark results",
        "",
        f"Run {machine['date']} on {machine['cpu'] or 'unknown CPU'}, "
        f"{machine['cores']} cores, {machine['memory_gb']} GB RAM, {machine['os']}; "
        f"Python {machine['python']}, Django {machine['django']}, SQLite {machine['sqlite']}"
        + (f", PostgreSQL {machine['postgresql']}" if machine.get("postgresql") else "")
        + f"; {machine['wrk']}. Load average at start: "
        + ", ".join(f"{x:.2f}" for x in machine["load_average_at_start"])
        + ".",
        "",
        f"gunicorn with {settings['workers']} sync workers, `{settings['django_settings']}` "
        f"(DEBUG off, whitenoise); wrk with {settings['connections']} connections, "
        f"{settings['threads']} thread, {settings['warmup']} s warm-up then "
        f"{settings['duration']} s measured per scenario; cache: {settings.get('cache')}. "
        "Latencies in milliseconds.",
        "",
    ]
    for note in results.get("notes", []):
        lines += [f"Note: {note}", ""]
    for phase in results["phases"]:
        title = f"## {phase.get('database')}, {phase.get('articles', 0):,} published articles"
        lines.append(title)
        lines.append("")
        if phase.get("failed"):
            lines += [f"Phase failed (exit status {phase.get('exit_status')}).", ""]
            continue
        if phase.get("generate_seconds") is not None:
            lines += [f"Archive generated in {phase['generate_seconds']} s.", ""]
        lines += [
            "| Scenario | req/s | p50 | p95 | p99 | queries | × baseline | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, s in phase["scenarios"].items():
            label = SCENARIO_LABELS.get(name, name)
            if not s.get("available"):
                reason = s.get("reason", "").split(";")[-1].strip()
                lines.append(f"| {label} | not available ({reason}) | | | | | | |")
                continue
            if "rps" not in s:
                lines.append(
                    f"| {label} | not loaded: {_fmt(s.get('single_request_ms'), 0)} ms "
                    f"per request | | | | {_queries(s)} | | |"
                )
                continue
            lat = s["latency_ms"]
            lines.append(
                f"| {label} | {_fmt(s['rps'])} | {_fmt(lat['p50'], 1)} | {_fmt(lat['p95'], 1)} "
                f"| {_fmt(lat['p99'], 1)} | {_queries(s)} | {_fmt(s.get('ratio_to_baseline'), 2)} "
                f"| {s['error_count']} |"
            )
        lines += _single_connection_table(phase)
        lines += _paint_table(phase)
        memory = phase.get("memory_end") or {}
        if memory.get("peak_rss_kb"):
            peak = max(memory["peak_rss_kb"]) / 1024
            lines += [
                "",
                f"Peak RSS per worker: {peak:.0f} MB (of {memory['workers']} workers).",
            ]
        soak = phase.get("soak")
        if soak:
            lines += [
                "",
                f"Soak: {soak['seconds']} s at {soak['connections']} connections over "
                f"{len(soak['paths'])} pages, {_fmt(soak['rps'])} req/s, "
                f"{soak['error_count']} errors; worker RSS "
                + ", ".join(
                    f"{b / 1024:.0f} → {a / 1024:.0f} MB"
                    for b, a in zip(
                        soak["rss_before_kb"], soak["rss_after_kb"], strict=False
                    )
                )
                + f" (max growth {_fmt(soak['max_growth_percent'], 1)} %).",
            ]
        lines.append("")
    imported = results.get("import")
    if imported:
        lines += ["## Import", ""]
        if imported.get("available"):
            lines.append(
                f"`import_articles` on {imported['files']:,} generated scraped files into "
                f"SQLite: {imported['seconds']} s, **{imported['files_per_second']} files/s**, "
                f"{imported['created']:,} drafts created, exit status {imported['exit_status']}."
            )
            if imported.get("cpu_seconds") is not None:
                load = imported.get("load_average") or ["?", "?"]
                lines.append(
                    f"CPU time of the importer and its workers: {imported['cpu_seconds']} s "
                    f"({imported['cpu_ms_per_file']} ms per file, {imported['cores']} cores); "
                    f"load average {load[0]} before, {load[1]} after — a load above the "
                    "core count means other work shared the machine and the rate is low."
                )
        else:
            lines.append(f"Not available: {imported.get('reason', 'failed')}.")
        for key, label in (
            ("accuracy", "the labelled corpus (the rules were tuned on it)"),
            ("accuracy_held_out", "the held-out set"),
        ):
            if imported.get(key):
                lines.append(
                    f"Accuracy on {label} (precision / recall): "
                    + ", ".join(
                        f"{name} {s['precision']:.2f} / {s['recall']:.2f}"
                        for name, s in imported[key].items()
                    )
                    + "."
                )
        lines.append("")
    if results.get("targets"):
        lines += [
            "## Targets",
            "",
            "| Target | Where | Measured | Met |",
            "|---|---|---:|:---:|",
        ]
        for t in results["targets"]:
            met = "yes" if t["met"] else ("no" if t["met"] is False else "–")
            lines.append(
                f"| {t['target']} | {t['where']} | {_fmt(t['value'], 2)} | {met} |"
            )
        lines.append("")
    return "\n".join(lines)


def render_summary(results: dict[str, Any]) -> str:
    """One table across databases and sizes: how each scenario's cost grows."""
    phases = [p for p in results["phases"] if not p.get("failed")]
    databases = sorted({p["database"] for p in phases})
    sizes = sorted({p["articles"] for p in phases})
    if not phases:
        return "No phase completed."
    small, large = sizes[0], sizes[-1]
    machine = results["machine"]
    lines = [
        f"Run {machine['date']}: {machine['cores']} cores ({machine['cpu']}), "
        f"load average at start {machine['load_average_at_start'][0]:.2f}. "
        f"p50 latency in ms at {small:,} → {large:,} published articles, queries per "
        f"request, and req/s and × baseline at {large:,}.",
        "",
    ]
    header = "| Scenario |"
    rule = "|---|"
    for database in databases:
        header += f" {database} p50 | queries | req/s | × baseline |"
        rule += "---:|---:|---:|---:|"
    lines += [header, rule]
    names = [n for n in SCENARIO_LABELS if not n.startswith("baseline")]
    names += [n for n in SCENARIO_LABELS if n.startswith("baseline")]
    for name in names:
        row = f"| {SCENARIO_LABELS[name]} |"
        seen = False
        for database in databases:
            a = phase_at(results, database, small).get("scenarios", {}).get(name, {})
            b = phase_at(results, database, large).get("scenarios", {}).get(name, {})
            if not b.get("available"):
                row += " not available | | | |"
                continue
            seen = True
            if "rps" not in b:
                row += (
                    f" {_fmt(b.get('single_request_ms'), 0)} (one request, not loaded)"
                    f" | {_queries(b)} | | |"
                )
                continue
            p50_a = a.get("latency_ms", {}).get("p50")
            p50 = f"{_fmt(p50_a, 1)} → " if p50_a is not None else ""
            queries = (
                f"{_queries(a)} / {_queries(b)}"
                if _queries(a) != _queries(b)
                else _queries(b)
            )
            row += (
                f" {p50}{_fmt(b['latency_ms']['p50'], 1)} | {queries} | "
                f"{_fmt(b['rps'])} | {_fmt(b.get('ratio_to_baseline'), 2)} |"
            )
        if seen:
            lines.append(row)
    missed = [t for t in results.get("targets", []) if t["met"] is False]
    met = [t for t in results.get("targets", []) if t["met"]]
    lines += [
        "",
        f"Targets: {len(met)} met, {len(missed)} missed "
        "(details in `results/latest.md`).",
    ]
    imported = results.get("import") or {}
    if imported.get("available"):
        lines.append(
            f"Import: {imported['files_per_second']} files/s on SQLite "
            f"({imported['files']:,} files)."
        )
    return "\n".join(lines)


README_MARKERS = ("<!-- latest-results -->", "<!-- /latest-results -->")


def update_readme(results: dict[str, Any]) -> None:
    """Replace the summary between the README's markers with this run's."""
    readme = BENCH_DIR / "README.md"
    text = readme.read_text()
    start, end = README_MARKERS
    if start not in text or end not in text:
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{render_summary(results)}\n{end}{tail}")


def write_results(results: dict[str, Any], name: str) -> tuple[Path, Path]:
    RESULTS_DIR.mkdir(exist_ok=True)
    json_path, md_path = RESULTS_DIR / f"{name}.json", RESULTS_DIR / f"{name}.md"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    md_path.write_text(render_markdown(results))
    if name == "latest":
        update_readme(results)
    return json_path, md_path
