#!/usr/bin/env python
"""Check the Russian catalog locale/ru/LC_MESSAGES/django.po and its compiled django.mo.

Fails (exit 1) and lists the msgids when
  * the .po is missing, its header is fuzzy or has no Plural-Forms;
  * an entry is untranslated (empty msgstr, or an empty plural form) or fuzzy;
  * a msgid used in the code is missing from the .po — found by running `makemessages` on a temporary copy of
    the project, so the working tree is never touched;
  * the committed django.mo does not hold exactly what django.po compiles to (`msgfmt --check-format`, the way
    `compilemessages` runs it; also catches broken %-placeholders).
Warns (without failing) about obsolete entries and about msgids the code no longer uses.

The catalogs are read with polib (in the development set, requirements-dev.lock). Run with the project's dev venv:
`.venv/bin/python scripts/check_translations.py` (or `make check-translations`, which installs that set).
The fix is almost always: `make messages`, translate what it lists, `make messages` again.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import polib
except ModuleNotFoundError:  # the development set (requirements-dev.lock) has it; the runtime set does not
    sys.exit("check_translations: polib is missing; run it with the development venv (make venv-dev).")

ROOT = Path(__file__).resolve().parent.parent
CATALOG = Path("locale") / "ru" / "LC_MESSAGES"
PO = ROOT / CATALOG / "django.po"
MO = ROOT / CATALOG / "django.mo"
# The same ignores as `make messages` (MAKEMESSAGES_FLAGS in the Makefile); keep the two in step.
MAKEMESSAGES_ARGS = [
    "makemessages",
    "-l",
    "ru",
    "--no-obsolete",
    "--no-location",
    "--ignore=tests/*",
    "--ignore=bench/*",
    "--ignore=staticfiles/*",
    "--ignore=media/*",
    "--ignore=node_modules/*",
]
# What the temporary copy leaves out: nothing in these is scanned for messages.
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "media",
    "staticfiles",
    "test-artifacts",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".ruff_cache",
    "*.sqlite3",
    "*.mo",
)
SHOW = 40  # msgids listed per problem

Key = tuple[str | None, str, str | None]  # (msgctxt, msgid, msgid_plural)


def read_po(path: Path) -> polib.POFile:
    """The catalog as polib reads it: the header goes to `metadata`, obsolete (#~) entries are flagged `obsolete`.

    Raises ValueError when polib cannot read the file (it reports syntax errors as OSError).
    """
    try:
        return polib.pofile(str(path), encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from exc


def entry_key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or None)


def live_keys(po: polib.POFile) -> set[Key]:
    """The msgids of the entries in use (not obsolete); polib keeps the header out of the entries."""
    return {entry_key(entry) for entry in po if not entry.obsolete}


def _label(key: Key) -> str:
    msgctxt, msgid, _plural = key
    text = msgid if len(msgid) <= 100 else msgid[:97] + "..."
    return f"{text!r}" + (f" (context {msgctxt!r})" if msgctxt is not None else "")


def _report(title: str, keys: list[Key]) -> None:
    print(f"  {title}: {len(keys)}")
    for key in keys[:SHOW]:
        print(f"    - {_label(key)}")
    if len(keys) > SHOW:
        print(f"    ... and {len(keys) - SHOW} more")


def check_entries(po: polib.POFile) -> list[str]:
    problems: list[str] = []
    nplurals = 0
    if not po.metadata:
        problems.append("the .po has no header entry")
        print("  the .po has no header entry")
    else:
        if "fuzzy" in (po.metadata_is_fuzzy or []):
            problems.append("fuzzy header")
            print("  the header is marked fuzzy: msgfmt then drops it (and Plural-Forms with it); remove the flag")
        found = re.search(r"^\s*nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
        if found:
            nplurals = int(found.group(1))
        else:
            problems.append("no Plural-Forms")
            print("  the header has no Plural-Forms line")
    live = [e for e in po if not e.obsolete]
    fuzzy = [entry_key(e) for e in live if "fuzzy" in e.flags]
    untranslated = []
    for entry in live:
        if not entry.msgid_plural:
            forms = [entry.msgstr]
        else:
            count = max(nplurals, len(entry.msgstr_plural), 1)
            forms = [entry.msgstr_plural.get(i, "") for i in range(count)]
        if any(not form for form in forms):
            untranslated.append(entry_key(entry))
    if untranslated:
        problems.append("untranslated entries")
        _report("untranslated (empty msgstr)", untranslated)
    if fuzzy:
        problems.append("fuzzy entries")
        _report("fuzzy (check the translation, then remove the flag)", fuzzy)
    obsolete = po.obsolete_entries()
    if obsolete:
        print(f"  warning: {len(obsolete)} obsolete (#~) entries; `make messages` drops them")
    return problems


def code_msgids() -> set[Key]:
    """The msgids the code uses now: makemessages on a temporary copy of the project, with no catalog in it."""
    with tempfile.TemporaryDirectory(prefix="check-translations-") as tmp:
        copy = Path(tmp) / "project"
        shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
        shutil.rmtree(copy / CATALOG, ignore_errors=True)
        env = dict(
            os.environ, DJANGO_SETTINGS_MODULE="metodservice.settings", DEBUG="true", PYTHONDONTWRITEBYTECODE="1"
        )
        env.pop("SECRET_KEY", None)
        result = subprocess.run(
            [sys.executable, "manage.py", *MAKEMESSAGES_ARGS],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
        )
        fresh = copy / CATALOG / "django.po"
        if result.returncode != 0 or not fresh.exists():
            print(result.stdout + result.stderr)
            raise RuntimeError("makemessages failed on a copy of the project (its output is above)")
        return live_keys(read_po(fresh))


def check_mo() -> list[str]:
    if not MO.exists():
        print(f"  {MO.relative_to(ROOT)} is missing: run `make messages`")
        return ["no .mo"]
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        print("  msgfmt not found: install gettext (Debian: apt-get install gettext)")
        return ["no msgfmt"]
    with tempfile.TemporaryDirectory(prefix="check-translations-") as tmp:
        compiled = Path(tmp) / "django.mo"
        result = subprocess.run(
            [msgfmt, "--check-format", "-o", str(compiled), str(PO)], capture_output=True, text=True
        )
        if result.returncode != 0:
            print("  msgfmt --check-format refuses the .po:")
            print("    " + (result.stdout + result.stderr).strip().replace("\n", "\n    "))
            return ["msgfmt errors"]
        with compiled.open("rb") as fresh_file, MO.open("rb") as committed_file:
            fresh = gettext.GNUTranslations(fresh_file)._catalog
            committed = gettext.GNUTranslations(committed_file)._catalog
    if fresh == committed:
        return []
    differing = sorted(
        (
            str(k)
            for k in set(fresh) ^ set(committed) | {k for k in set(fresh) & set(committed) if fresh[k] != committed[k]}
        ),
    )
    print(
        f"  {MO.relative_to(ROOT)} is out of step with django.po ({len(differing)} messages differ): run `make messages`"
    )
    for msgid in differing[:SHOW]:
        print(f"    - {msgid[:100]!r}")
    return ["stale .mo"]


def main() -> int:
    print(f"Checking {PO.relative_to(ROOT)}")
    if not PO.exists():
        print(f"  {PO.relative_to(ROOT)} does not exist: run `make messages` and translate it.")
        print("FAILED")
        return 1
    try:
        po = read_po(PO)
    except ValueError as exc:
        print(f"  cannot read the catalog: {exc}")
        print("FAILED")
        return 1
    problems = check_entries(po)

    catalog = live_keys(po)
    try:
        used = code_msgids()
    except RuntimeError as exc:
        print(f"  {exc}")
        problems.append("makemessages failed")
        used = catalog
    missing = sorted(used - catalog, key=lambda k: (k[0] or "", k[1]))
    unused = sorted(catalog - used, key=lambda k: (k[0] or "", k[1]))
    if missing:
        problems.append("msgids missing from the .po")
        _report("used in the code but missing from the .po (run `make messages`)", missing)
    if unused:
        print(f"  warning: {len(unused)} msgids in the .po are no longer used in the code; `make messages` drops them")

    problems += check_mo()

    if problems:
        print(f"FAILED: {'; '.join(problems)}.")
        print("Fix: `make messages`, translate the entries listed in the .po, then `make messages` again.")
        return 1
    print(f"OK: {len(catalog)} messages, all translated; django.mo matches django.po.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
