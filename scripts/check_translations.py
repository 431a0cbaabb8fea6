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

Run with the project's venv: `.venv/bin/python scripts/check_translations.py` (or `make check-translations`).
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
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: contexts, plurals, flags, obsolete entries; enough for these checks."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None  # which field continuation lines extend

    def finish() -> None:
        nonlocal current, target
        if current is not None and (current.msgid or current.msgstr or current.msgctxt is not None):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):
                continue
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                finish()  # a comment after msgstr starts the next entry
            if line.startswith("#,"):
                current = current or Entry(line=number)
                current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if current is None or (current.msgstr and not line.startswith(('"', "msgstr"))):
            finish()
            current = Entry(line=number)
        current.obsolete = current.obsolete or obsolete
        match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword == "msgctxt":
                current.msgctxt, target = value, ("msgctxt", None)
            elif keyword == "msgid":
                current.msgid, target = value, ("msgid", None)
            elif keyword == "msgid_plural":
                current.msgid_plural, target = value, ("msgid_plural", None)
            else:
                slot = int(index) if index is not None else 0
                current.msgstr[slot], target = value, ("msgstr", slot)
        elif line.startswith('"') and target is not None:
            name, slot = target
            value = _unquote(line)
            if name == "msgstr":
                current.msgstr[slot] += value
            else:
                setattr(current, name, getattr(current, name) + value)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


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


def check_entries(entries: list[Entry]) -> list[str]:
    problems: list[str] = []
    header = next((e for e in entries if e.is_header and not e.obsolete), None)
    nplurals = 0
    if header is None:
        problems.append("the .po has no header entry")
        print("  the .po has no header entry")
    else:
        if "fuzzy" in header.flags:
            problems.append("fuzzy header")
            print("  the header is marked fuzzy: msgfmt then drops it (and Plural-Forms with it); remove the flag")
        found = re.search(r"Plural-Forms:\s*nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""))
        if found:
            nplurals = int(found.group(1))
        else:
            problems.append("no Plural-Forms")
            print("  the header has no Plural-Forms line")
    live = [e for e in entries if not e.obsolete and not e.is_header]
    fuzzy = [e.key for e in live if "fuzzy" in e.flags]
    untranslated = []
    for entry in live:
        if entry.msgid_plural is None:
            forms = [entry.msgstr.get(0, "")]
        else:
            forms = [entry.msgstr.get(i, "") for i in range(max(nplurals, len(entry.msgstr), 1))]
        if any(not form for form in forms):
            untranslated.append(entry.key)
    if untranslated:
        problems.append("untranslated entries")
        _report("untranslated (empty msgstr)", untranslated)
    if fuzzy:
        problems.append("fuzzy entries")
        _report("fuzzy (check the translation, then remove the flag)", fuzzy)
    obsolete = [e.key for e in entries if e.obsolete]
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
        return {e.key for e in parse_po(fresh) if not e.obsolete and not e.is_header}


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
        entries = parse_po(PO)
    except ValueError as exc:
        print(f"  cannot read the catalog: {exc}")
        print("FAILED")
        return 1
    problems = check_entries(entries)

    catalog = {e.key for e in entries if not e.obsolete and not e.is_header}
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
