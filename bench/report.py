"""The benchmark's figures: statistics of a sample, the targets of issue 13 as flags, the machine, and the report
written as Markdown (bench/results/latest.md) and JSON (bench/results/latest.json).

A result is plain data (dicts and lists, as JSON keeps it): per scale, the floor and rows of pages, exports and
documents (bench/measure.py makes them), and the load run's summary (bench/run.py). This module only reads them.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import statistics
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

#: The targets of issue 13 that the report flags.
MAX_QUERIES = 12  # an HTML page (or a document) makes at most this many queries…
MAX_X_FLOOR = 10.0  # …and answers within this many times the floor's median at the largest scale
MAX_EXPORT_MS = 1000.0  # an export answers within a second at the largest scale
MAX_X_WEASYPRINT = 1.3  # a document costs at most this much more than WeasyPrint alone on the same HTML
MAX_ORDER_PDF_MS = 500.0  # a signed order's PDF
MIN_LOAD_SHARE = 0.25  # under load, the mix's throughput is at least this share of the floor's
MAX_FLOOR_DRIFT = 0.25  # the floor's runs before and after the mix within this of each other, or the share is unsure

SCALE_ORDER = ("college", "region")


# ---------------------------------------------------------------- statistics


def median(samples: Sequence[float]) -> float:
    return float(statistics.median(samples))


def percentile(samples: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest sample that at least `share` of the samples do not exceed (of 20
    samples, p95 is the 19th smallest, so one slow request in twenty is not hidden by averaging)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(math.ceil(share * len(ordered)), 1)
    return float(ordered[rank - 1])


def p95(samples: Sequence[float]) -> float:
    return percentile(samples, 0.95)


def ratio(value: float | None, base: float | None) -> float | None:
    """value / base, or None when either is missing or the base is zero."""
    if value is None or not base:
        return None
    return value / base


def summary(seconds: Sequence[float]) -> dict:
    """Median and p95 of a sample of durations in seconds, in milliseconds."""
    return {"median_ms": round(median(seconds) * 1000, 2), "p95_ms": round(p95(seconds) * 1000, 2), "n": len(seconds)}


# ---------------------------------------------------------------- flags (the targets of issue 13)


def scales_of(result: dict) -> list[str]:
    """The scales measured, smallest first."""
    names = list(result.get("scales", {}))
    return sorted(names, key=lambda name: SCALE_ORDER.index(name) if name in SCALE_ORDER else len(SCALE_ORDER))


def joined(result: dict, section: str) -> list[dict]:
    """The rows of `section` ("pages", "exports", "documents") of every scale, one per key: {"key", "label",
    "kind", "role", "by_scale": {scale: row}} in the order of the first scale that has them."""
    rows: dict[str, dict] = {}
    for scale in scales_of(result):
        for row in result["scales"][scale].get(section, []):
            entry = rows.setdefault(
                row["key"],
                {"key": row["key"], "label": row["label"], "kind": row.get("kind", ""), "role": row["role"]},
            )
            entry.setdefault("by_scale", {})[scale] = row
    return list(rows.values())


def _status_flags(entry: dict) -> list[str]:
    return [f"{scale}: status {row['status']}" for scale, row in entry["by_scale"].items() if row["status"] != 200]


def _query_flags(entry: dict) -> list[str]:
    counts = {scale: row.get("queries") for scale, row in entry["by_scale"].items() if row.get("queries") is not None}
    flags = []
    if len(set(counts.values())) > 1:
        flags.append("queries differ: " + " → ".join(str(count) for count in counts.values()))
    if counts and max(counts.values()) > MAX_QUERIES:
        flags.append(f"> {MAX_QUERIES} queries")
    return flags


def _largest(entry: dict) -> dict | None:
    return entry["by_scale"].get(list(entry["by_scale"])[-1]) if entry["by_scale"] else None


def page_flags(entry: dict, top: str) -> list[str]:
    """An HTML page: the same query count at every scale, at most MAX_QUERIES, within MAX_X_FLOOR of the floor at
    the largest scale `top`."""
    flags = _status_flags(entry) + _query_flags(entry)
    row = entry["by_scale"].get(top)
    if row and row.get("x_floor") is not None and row["x_floor"] > MAX_X_FLOOR:
        flags.append(f"> {MAX_X_FLOOR:g}× floor")
    return flags


def export_flags(entry: dict, top: str) -> list[str]:
    flags = _status_flags(entry)
    flags += [flag for flag in _query_flags(entry) if flag.startswith("queries differ")]
    row = entry["by_scale"].get(top)
    if row and row.get("median_ms") is not None and row["median_ms"] > MAX_EXPORT_MS:
        flags.append(f"> {MAX_EXPORT_MS / 1000:g} s")
    return flags


def document_flags(entry: dict, top: str) -> list[str]:
    """A document: no web worker lays it out (the request answers with the job's page or a stored PDF, an order's
    within MAX_ORDER_PDF_MS), queries as a page's, and all of it within MAX_X_WEASYPRINT of WeasyPrint alone."""
    flags = [
        f"{scale}: status {row['status']}"
        for scale, row in entry["by_scale"].items()
        if row["status"] != 200 and row.get("answer") != "job page"
    ]
    flags += _query_flags(entry)
    row = entry["by_scale"].get(top)
    if row and row.get("x_weasyprint") is not None and row["x_weasyprint"] > MAX_X_WEASYPRINT:
        flags.append(f"> {MAX_X_WEASYPRINT:g}× WeasyPrint")
    if row and row.get("view") == "structure:order_pdf" and (row.get("median_ms") or 0) > MAX_ORDER_PDF_MS:
        flags.append(f"order PDF > {MAX_ORDER_PDF_MS:g} ms")
    if row and row.get("answer") == "PDF":
        flags.append("laid out in the request")
    return flags


def load_flags(load: dict) -> list[str]:
    flags = []
    for name in ("mix", *FLOOR_RUNS):
        run = load.get(name) or {}
        if run.get("failures"):
            flags.append(f"{name}: {run['failures']} errors")
    share = load.get("share_of_floor")
    if share is not None and share < MIN_LOAD_SHARE:
        flags.append(f"throughput < {MIN_LOAD_SHARE:.0%} of the floor's")
    drift = load.get("floor_drift")
    if drift is not None and drift > MAX_FLOOR_DRIFT:
        flags.append(f"the floor's runs before and after the mix differ by {drift:.0%}: the share is not to be trusted")
    return flags


#: The floor's load runs, as bench/run.py names them (a report of an older run has one, "floor").
FLOOR_RUNS = ("floor_before", "floor_after", "floor")


# ---------------------------------------------------------------- the machine


def _first_line(path: str, prefix: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            for line in file:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine(pg_version: str = "") -> dict:
    """What the figures were measured on (they mean little without it)."""
    memory_kb = _first_line("/proc/meminfo", "MemTotal")
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False, timeout=10
        ).stdout.strip()
    except OSError:
        commit = ""
    import django

    return {
        "cpu": _first_line("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "ram_gb": round(int(memory_kb.split()[0]) / 1024 / 1024, 1) if memory_kb else None,
        "load_average": [round(value, 2) for value in os.getloadavg()] if hasattr(os, "getloadavg") else None,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg_version,
        "commit": commit,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# ---------------------------------------------------------------- Markdown


def _fmt(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}".replace(",", " ")
    return str(value)


def _per_scale(entry: dict, scales: Iterable[str], field: str, digits: int = 0) -> str:
    return " / ".join(_fmt(entry["by_scale"].get(scale, {}).get(field), digits) for scale in scales)


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _table(header: list[str], rows: list[list[str]], right_from: int) -> list[str]:
    """A Markdown table, its columns from `right_from` on right-aligned (figures) but a last one named "flags"."""
    last = len(header) - 1 if header[-1] == "flags" else len(header)
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if right_from <= i < last else "---" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return lines


def _flag_cell(flags: list[str]) -> str:
    return "**" + "; ".join(flags) + "**" if flags else ""


def markdown(result: dict) -> str:
    """The report: the machine, the floor, the pages, the exports, the documents and the load run."""
    scales = scales_of(result)
    top = scales[-1] if scales else ""
    names = " / ".join(scales)
    lines = ["# Benchmark (issue 13)", ""]
    info = result.get("machine", {})
    lines += [
        f"Measured {info.get('date', '?')} on {info.get('cpu', '?')}, {info.get('cores', '?')} cores, "
        f"{info.get('ram_gb', '?')} GB RAM, PostgreSQL {info.get('postgresql', '?')}, Python {info.get('python', '?')}, "
        f"Django {info.get('django', '?')}, commit {info.get('commit', '?')}; load average at the start "
        f"{info.get('load_average')}.",
        "",
    ]
    options = result.get("options", {})
    lines += [
        f"In process (Django's test client, bench/settings.py: production's settings and middleware): "
        f"{options.get('requests', '?')} timed requests after {options.get('warmup', '?')} warm-up ones per page "
        f"and export, {options.get('doc_requests', '?')} per document. Queries: every statement of one request, "
        "as the tests count them (the session and the user included; a page is read without a transaction).",
        "",
    ]
    generated = [
        f"{scale}: {result['scales'][scale].get('generator', {}).get('summary', '')}".rstrip(": ")
        for scale in scales
        if result["scales"][scale].get("generator", {}).get("summary")
    ]
    if generated:
        lines += ["Data: " + "; ".join(generated) + ".", ""]
    floors = [
        f"{scale} {_fmt(result['scales'][scale]['floor']['median_ms'], 1)} ms "
        f"(p95 {_fmt(result['scales'][scale]['floor']['p95_ms'], 1)}, "
        f"{result['scales'][scale]['floor'].get('queries', '?')} queries)"
        for scale in scales
        if result["scales"][scale].get("floor")
    ]
    lines += [
        "Floor (/bench/floor/: the same middleware, the session and the user, one query of its own, the layout; "
        "its statements: the session, the user, the query): " + ", ".join(floors) + ".",
        "",
    ]

    flagged = 0
    rows = []
    for entry in joined(result, "pages"):
        flags = page_flags(entry, top)
        flagged += bool(flags)
        largest = entry["by_scale"].get(top, {})
        rows.append(
            [
                entry["label"],
                entry["role"],
                _per_scale(entry, scales, "queries"),
                _per_scale(entry, scales, "median_ms"),
                _per_scale(entry, scales, "p95_ms"),
                _x(largest.get("x_floor")),
                _per_scale(entry, scales, "kb"),
                _flag_cell(flags),
            ]
        )
    lines += [f"## Pages ({len(rows)}, {flagged} flagged)", ""]
    header = [
        "page",
        "role",
        f"queries {names}",
        f"median ms {names}",
        f"p95 ms {names}",
        f"× floor at {top}",
        f"KB {names}",
        "flags",
    ]
    lines += _table(header, rows, right_from=2) + [""]

    rows = []
    for entry in joined(result, "exports"):
        largest = entry["by_scale"].get(top, {})
        rows.append(
            [
                entry["label"],
                entry["role"],
                _per_scale(entry, scales, "queries"),
                _per_scale(entry, scales, "median_ms"),
                _per_scale(entry, scales, "p95_ms"),
                _x(largest.get("x_floor")),
                _per_scale(entry, scales, "kb"),
                _flag_cell(export_flags(entry, top)),
            ]
        )
    lines += [f"## Exports ({len(rows)})", ""]
    lines += _table([*header[:6], f"KB {names}", "flags"], rows, right_from=2) + [""]

    rows = []
    for entry in joined(result, "documents"):
        largest = entry["by_scale"].get(top, {})
        rows.append(
            [
                entry["label"],
                entry["role"],
                " / ".join(entry["by_scale"].get(scale, {}).get("answer", "–") for scale in scales),
                _per_scale(entry, scales, "queries"),
                _per_scale(entry, scales, "median_ms"),
                _per_scale(entry, scales, "layout_ms"),
                _per_scale(entry, scales, "weasyprint_ms"),
                _x(largest.get("x_weasyprint")),
                _flag_cell(document_flags(entry, top)),
            ]
        )
    lines += [f"## Documents ({len(rows)})", ""]
    lines += [
        "The request is what holds a web worker: it renders the document's HTML and answers with the job's page "
        "(a worker lays it out), or serves the PDF a fixed document stored. Layout: the worker's step "
        "(`html_to_pdf`) on that HTML; WeasyPrint: `HTML(string=html, base_url=…).write_pdf()` alone on it. "
        "× WeasyPrint: (request + layout) / WeasyPrint.",
        "",
    ]
    header = [
        "document",
        "role",
        "answer",
        f"queries {names}",
        f"request ms {names}",
        f"layout ms {names}",
        f"WeasyPrint ms {names}",
        f"× WeasyPrint at {top}",
        "flags",
    ]
    lines += _table(header, rows, right_from=3) + [""]

    load = result.get("load")
    lines += ["## Under load", ""]
    if not load:
        lines += ["Not run (--skip-load).", ""]
    elif load.get("error"):
        lines += [f"Failed: {load['error']}", ""]
    else:
        lines += [
            f"{load['server']}; locust on the loopback, {load['users']} sessions logged in through the login form, "
            f"no think time, {load['seconds']} s for the mix (the floor: half before it, half after) after every session "
            f"has logged in; database: {load['scale']}.",
            "",
        ]
        rows = []
        labels = (
            ("floor_before", "the floor alone, before the mix"),
            ("mix", "the mix of main pages and writes"),
            ("floor_after", "the floor alone, after the mix"),
            ("floor", "the floor alone"),
        )
        for name, label in labels:
            if name not in load:
                continue
            run = load.get(name) or {}
            rows.append(
                [
                    label,
                    _fmt(run.get("requests")),
                    _fmt(run.get("rps"), 1),
                    _fmt(run.get("p50_ms")),
                    _fmt(run.get("p95_ms")),
                    _fmt(run.get("p99_ms")),
                    _fmt(run.get("failures")),
                ]
            )
        header = ["run", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"]
        lines += _table(header, rows, right_from=1) + [""]
        share = load.get("share_of_floor")
        flags = load_flags(load)
        lines += [
            (
                f"The mix's throughput is {share:.0%} of the floor's"
                + (
                    f" (the floor: {load['floor_rps']} req/s, the mean of its two runs)."
                    if "floor_rps" in load
                    else "."
                )
            )
            if share is not None
            else "No throughput ratio.",
            "",
        ]
        if flags:
            lines += ["**" + "; ".join(flags) + "**", ""]
        writes = (load.get("mix") or {}).get("writes")
        if writes:
            lines += ["Writes in the mix: " + ", ".join(f"{name} {count}" for name, count in writes.items()) + ".", ""]
    return "\n".join(lines)


def write(result: dict, folder: Path, stem: str = "latest") -> tuple[Path, Path]:
    """`folder`/latest.md and latest.json."""
    folder.mkdir(parents=True, exist_ok=True)
    md_path, json_path = folder / f"{stem}.md", folder / f"{stem}.json"
    md_path.write_text(markdown(result), encoding="utf-8")
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return md_path, json_path
