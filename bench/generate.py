"""Build a college or a region for the benchmark in an empty, migrated database.

    DATABASE_URL=postgres://…/bench .venv/bin/python -m bench.generate --scale college|region [--seed N] [--json PATH]

The stages run in order — structure (people, accounts, units, orders), planning (years, the theme, plans, meetings),
attestation, experience — each in its own module of bench/gen exposing `generate(scale, rng) -> counts`; a stage
whose module is missing is reported as skipped. At the end the command prints the rows of every main table, the time
of each stage and in total, and the size of the database (PostgreSQL); `--json PATH` writes the same as JSON.

Refuses a database that already holds people, units, orders or plans: the benchmark's figures are only comparable on
data it built itself. Every account signs in with bench.gen.scale.PASSWORD.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

#: The stages, in order: (name, module). Each module exposes generate(scale, rng) -> dict[str, int].
STAGES = [
    ("structure", "bench.gen.structure"),
    ("planning", "bench.gen.planning"),
    ("attestation", "bench.gen.attestation"),
    ("experience", "bench.gen.experience"),
]

#: The apps whose tables are counted at the end (history tables left out).
COUNTED_APPS = ("structure", "planning", "attestation", "experience")


class NotEmpty(Exception):
    pass


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metodservice.settings")
    import django

    django.setup()


def check_empty() -> None:
    """Refuse a database that holds data of the portal (a migrated, empty one has only reference data)."""
    from planning.models import AcademicYear, Plan
    from structure.models import Order, Person, Unit, User

    found = {
        model._meta.verbose_name_plural: model.objects.count()
        for model in (User, Person, Unit, Order, AcademicYear, Plan)
    }
    found = {name: count for name, count in found.items() if count}
    if found:
        listed = ", ".join(f"{count} {name}" for name, count in found.items())
        raise NotEmpty(
            f"The database is not empty ({listed}). The generator builds into an empty, migrated database only: "
            "create one (createdb …; DATABASE_URL=… manage.py migrate) and run it again."
        )


def table_counts() -> dict[str, int]:
    """Rows of every model of the counted apps (not the history tables, not auto-created M2M tables except
    the plan items' responsible people), by `app.Model`."""
    from django.apps import apps

    counts: dict[str, int] = {}
    for label in COUNTED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            if model.__name__.startswith("Historical"):
                continue
            counts[f"{label}.{model.__name__}"] = model._default_manager.count()
    from planning.models import PlanItem

    counts["planning.PlanItem.responsible"] = PlanItem.responsible.through.objects.count()
    return counts


def database_size() -> int | None:
    """pg_database_size of the current database, in bytes; None on another database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def vacuum_analyze() -> None:
    """VACUUM ANALYZE the whole database (PostgreSQL), as autovacuum would soon after a load in production: the
    visibility map lets counts use index-only scans and the planner sees the tables' real sizes. A server may run
    with autovacuum off (a test machine); the measurement must not depend on it."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return  # not PostgreSQL, or inside a transaction (a test's): VACUUM cannot run there
    connection.ensure_connection()
    autocommit = connection.get_autocommit()
    connection.set_autocommit(True)  # VACUUM cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.set_autocommit(autocommit)


def run_stage(module_name: str, scale, rng: random.Random) -> dict[str, int] | None:
    """Import the stage lazily and run it; None when the module or its `generate` is missing."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise
    generate = getattr(module, "generate", None)
    if generate is None:
        return None
    return generate(scale, rng)


def generate(scale, seed: int = 1, *, only: set[str] | None = None, out=sys.stdout) -> dict[str, Any]:
    """Run every stage (or those named in `only`) on `scale` with one random generator seeded with `seed`; the
    report as a dict."""
    from django.test.utils import override_settings

    check_empty()
    rng = random.Random(seed)
    started = time.perf_counter()
    stages: dict[str, dict[str, Any]] = {}
    # The PDFs of what the services sign are not queued while generating (metodservice.common.documents): the bulk
    # documents have none either; `manage.py store_documents` queues them all when wanted.
    with override_settings(STORE_FIXED_DOCUMENTS=False):
        for name, module_name in STAGES:
            if only is not None and name not in only:
                continue
            stages[name] = _run_stage(name, module_name, scale, rng, out)
    vacuum_analyze()
    total = round(time.perf_counter() - started, 2)
    from django.db import connection
    from django.utils import timezone

    return {
        "scale": scale.name,
        "seed": seed,
        "today": timezone.localdate().isoformat(),
        "database": connection.vendor,
        "stages": stages,
        "total_seconds": total,
        "tables": table_counts(),
        "database_bytes": database_size(),
    }


def _run_stage(name: str, module_name: str, scale, rng: random.Random, out) -> dict[str, Any]:
    begin = time.perf_counter()
    print(f"[{name}] …", file=out, flush=True)
    counts = run_stage(module_name, scale, rng)
    elapsed = round(time.perf_counter() - begin, 2)
    if counts is None:
        print(f"[{name}] skipped: {module_name} is missing or has no generate()", file=out, flush=True)
        return {"skipped": True, "seconds": 0.0}
    print(f"[{name}] {elapsed:.1f} s  {counts}", file=out, flush=True)
    return {"seconds": elapsed, "counts": counts}


def print_report(report: dict[str, Any], out=sys.stdout) -> None:
    print(f"\nScale {report['scale']} (seed {report['seed']})", file=out)
    print("\nTime per stage:", file=out)
    for name, stage in report["stages"].items():
        shown = "skipped" if stage.get("skipped") else f"{stage['seconds']:8.1f} s"
        print(f"  {name:<14} {shown}", file=out)
    print(f"  {'total':<14} {report['total_seconds']:8.1f} s", file=out)
    print("\nRows per table:", file=out)
    for table, count in report["tables"].items():
        print(f"  {table:<48} {count:>10,}", file=out)
    size = report["database_bytes"]
    if size is not None:
        print(f"\nDatabase size: {size / 1024 / 1024:,.1f} MB ({size:,} bytes)", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", required=True, choices=["college", "region"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    parser.add_argument(
        "--stages",
        help=f"run only these stages, comma-separated, in their usual order ({', '.join(n for n, _m in STAGES)})",
    )
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.stages.split(",")} if args.stages else None
    unknown = (only or set()) - {name for name, _module in STAGES}
    if unknown:
        parser.error(f"unknown stage: {', '.join(sorted(unknown))}")
    setup_django()
    from bench.gen.scale import SCALES

    try:
        report = generate(SCALES[args.scale], args.seed, only=only)
    except NotEmpty as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print_report(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"\nWritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
