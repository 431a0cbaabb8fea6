"""Competency frameworks: creating, renaming, the level scale, the tree of competencies, copying into a new
version, and the CSV export and import.

Who may call which is the rules' business (attestation/rules/frameworks.py: the methodist and the deputy). These
functions lock the framework's row while they change it, check the data and the framework's state, and refuse with
a ValidationError carrying a code, writing nothing:

- the state: `framework_frozen` — a framework used in a diagnostics campaign never changes (its scores mean what its
  scale and tree said then); `framework_copy` makes a new version to edit instead;
- the framework: `required` (name), `name_taken` (the same name and version exist);
- the scale (`framework_set_levels`): `levels_count` (2 to 10 levels), `levels_values` (values consecutive from 0),
  `required` (a level's name), `duplicate_level` (two levels named alike);
- a competency: `required` (code, name, kind), `too_long`, `duplicate_code` (codes are unique in the framework),
  `wrong_framework` (the parent belongs to another framework), `wrong_kind` (a generalised function has no parent, a
  function hangs under a generalised function, an indicator under a function; a kind that would leave the children
  under the wrong kind of parent), `missing_parent` (a function or an indicator without a parent), `cycle` (the
  parent is the competency itself or below it); deleting: `has_children`, `has_scores`;
- the CSV import: the file's own (`file_too_big`, `file_type`, `unreadable`, `empty`, `columns`, `no_rows`,
  `too_many_rows`), then one error per bad row naming the row (the header is row 1): `required`, `too_long`,
  `wrong_kind`, `duplicate_code`, `missing_parent`; every bad row is reported at once and nothing is written unless
  every row is good.

The CSV file (`framework_csv`): UTF-8 with a BOM (Excel opens it as Unicode), «;» between the cells, a header row
`code;name;kind;parent_code`, one competency a row, parents before their children, in the order of the tree. `kind`
is written as its code — `generalised`, `function`, `indicator` — and read as the code or as its Russian name
(«обобщённая трудовая функция», «трудовая функция», «индикатор»); the header may be in Russian too («код;
наименование; вид; код родителя»). An import gives the competencies the positions of their rows, so an export
imported again is the same tree in the same order.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from metodservice.common import tables, uploads
from structure.models import Person

from ..models import Competency, CompetencyFramework, CompetencyKind, DiagnosticCampaign, Score, default_levels

MIN_LEVELS, MAX_LEVELS = 2, 10
NAME_MAX = CompetencyFramework._meta.get_field("name").max_length or 300
SOURCE_MAX = CompetencyFramework._meta.get_field("source").max_length or 500
CODE_MAX = Competency._meta.get_field("code").max_length or 30
COMPETENCY_NAME_MAX = Competency._meta.get_field("name").max_length or 500
LEVEL_NAME_MAX = 100
DESCRIPTOR_MAX = 1000

#: The import reads at most this much and this many rows (a framework has tens of competencies).
MAX_FILE_SIZE = 1024 * 1024
MAX_ROWS = 1000
CSV_HEADER = ("code", "name", "kind", "parent_code")
#: Header cells accepted for each column (compared case-insensitively, «ё» as «е»).
HEADER_ALIASES = {
    "code": ("code", "код"),
    "name": ("name", "наименование", "название"),
    "kind": ("kind", "вид", "тип"),
    "parent_code": ("parent_code", "parent", "код родителя", "родитель"),
}
#: The kind a parent must have: none for a generalised function.
PARENT_KIND: dict[str, str | None] = {
    CompetencyKind.GENERALISED: None,
    CompetencyKind.FUNCTION: CompetencyKind.GENERALISED,
    CompetencyKind.INDICATOR: CompetencyKind.FUNCTION,
}
CHILD_KIND = {CompetencyKind.GENERALISED: CompetencyKind.FUNCTION, CompetencyKind.FUNCTION: CompetencyKind.INDICATOR}


def _clean(value: Any) -> str:
    return " ".join(str(value or "").split())


def _fold(value: str) -> str:
    return _clean(value).casefold().replace("ё", "е")


# ---------------------------------------------------------------- the framework


def _locked(framework: CompetencyFramework) -> CompetencyFramework:
    return CompetencyFramework.objects.select_for_update().get(pk=framework.pk)


def _refuse_frozen(framework: CompetencyFramework) -> None:
    if DiagnosticCampaign.objects.filter(framework=framework).exists():
        raise ValidationError(
            _(
                "The framework «%(framework)s» is used in a diagnostics campaign and no longer changes: create a new "
                "version of it and edit that."
            )
            % {"framework": framework},
            code="framework_frozen",
        )


def _editable(framework: CompetencyFramework) -> CompetencyFramework:
    """The framework's row, locked, if it may change."""
    framework = _locked(framework)
    _refuse_frozen(framework)
    return framework


def _checked_name(name: str, source: str) -> tuple[str, str]:
    name, source = _clean(name), _clean(source)
    errors: dict[str, list[ValidationError]] = {}
    if not name:
        errors["name"] = [ValidationError(_("Enter the name of the framework."), code="required")]
    elif len(name) > NAME_MAX:
        errors["name"] = [
            ValidationError(_("The name is longer than %(max)s characters.") % {"max": NAME_MAX}, code="too_long")
        ]
    if len(source) > SOURCE_MAX:
        errors["source"] = [
            ValidationError(_("The source is longer than %(max)s characters.") % {"max": SOURCE_MAX}, code="too_long")
        ]
    if errors:
        raise ValidationError(errors)
    return name, source


def _refuse_taken(name: str, version: int, *, exclude: int | None = None) -> None:
    same = CompetencyFramework.objects.filter(name=name, version=version)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError(
            {
                "name": ValidationError(
                    _("A framework named «%(name)s» of version %(version)s already exists.")
                    % {"name": name, "version": version},
                    code="name_taken",
                )
            }
        )


@transaction.atomic
def framework_create(*, name: str, source: str = "", by: Person | None) -> CompetencyFramework:
    """A new, empty framework of version 1 (the next version if the name exists) with the default 0–3 scale."""
    name, source = _checked_name(name, source)
    version = _next_version(name)
    framework = CompetencyFramework.objects.create(
        name=name, version=version, source=source, levels=default_levels(), created_by=by
    )
    return framework


@transaction.atomic
def framework_rename(*, framework: CompetencyFramework, name: str, source: str = "") -> CompetencyFramework:
    """Change the name and the source of a framework not used in a campaign."""
    framework = _editable(framework)
    name, source = _checked_name(name, source)
    _refuse_taken(name, framework.version, exclude=framework.pk)
    framework.name, framework.source = name, source
    framework.save(update_fields=["name", "source"])
    return framework


def _checked_levels(levels: list[dict]) -> list[dict]:
    """The scale as stored: value, name, descriptor; values consecutive from 0."""
    if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        raise ValidationError(
            _("A scale has from %(min)s to %(max)s levels; this one has %(count)s.")
            % {"min": MIN_LEVELS, "max": MAX_LEVELS, "count": len(levels)},
            code="levels_count",
        )
    errors: list[ValidationError] = []
    cleaned: list[dict] = []
    seen: set[str] = set()
    for index, level in enumerate(levels):
        value = level.get("value", index)
        if value != index or isinstance(value, bool):
            raise ValidationError(
                _("The levels are numbered in a row from 0: level %(index)s cannot have the value %(value)s.")
                % {"index": index, "value": value},
                code="levels_values",
            )
        name = _clean(level.get("name"))
        descriptor = str(level.get("descriptor") or "").strip()
        if not name:
            errors.append(ValidationError(_("Level %(value)s needs a name.") % {"value": index}, code="required"))
        elif len(name) > LEVEL_NAME_MAX or len(descriptor) > DESCRIPTOR_MAX:
            errors.append(
                ValidationError(
                    _("Level %(value)s: the name takes at most %(name)s characters, the description %(text)s.")
                    % {"value": index, "name": LEVEL_NAME_MAX, "text": DESCRIPTOR_MAX},
                    code="too_long",
                )
            )
        elif _fold(name) in seen:
            errors.append(
                ValidationError(
                    _("Level %(value)s: another level is already named «%(name)s».") % {"value": index, "name": name},
                    code="duplicate_level",
                )
            )
        seen.add(_fold(name))
        cleaned.append({"value": index, "name": name, "descriptor": descriptor})
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def framework_set_levels(*, framework: CompetencyFramework, levels: list[dict]) -> CompetencyFramework:
    """Replace the level scale: 2 to 10 levels, `value` 0, 1, 2… in order (taken from the order when omitted),
    each with a name and an optional descriptor."""
    framework = _editable(framework)
    framework.levels = _checked_levels(list(levels))
    framework.save(update_fields=["levels"])
    return framework


def _next_version(name: str) -> int:
    # Lock the framework rows of the name, so that two copies at once do not take the same number (the unique
    # constraint would refuse the second anyway).
    versions = list(CompetencyFramework.objects.select_for_update().filter(name=name).values_list("version", flat=True))
    return max(versions, default=0) + 1


@transaction.atomic
def framework_copy(*, framework: CompetencyFramework, by: Person | None) -> CompetencyFramework:
    """A new version of the framework to edit: the next version of its name, `based_on` it, with its source, scale
    and whole tree (codes, names, kinds, parents and positions). Any framework may be copied, frozen or not."""
    original = CompetencyFramework.objects.get(pk=framework.pk)
    copy = CompetencyFramework.objects.create(
        name=original.name,
        version=_next_version(original.name),
        based_on=original,
        source=original.source,
        levels=[dict(level) for level in original.levels],
        created_by=by,
    )
    old = list(Competency.objects.filter(framework=original).order_by("position", "pk"))
    _create_tree(
        copy,
        [(item.pk, item.code, item.name, item.kind, item.parent_id, item.position) for item in old],
    )
    return copy


def _create_tree(framework: CompetencyFramework, rows: list[tuple[Any, str, str, str, Any, int]]) -> None:
    """Create (key, code, name, kind, parent key, position) rows; parents are created before their children, whatever
    the order of the rows (a tree is at most three levels deep)."""
    created: dict[Any, Competency] = {}
    remaining = list(rows)
    while remaining:
        ready = [row for row in remaining if row[4] is None or row[4] in created]
        if not ready:  # a parent outside the rows: the callers' checks make this impossible
            raise ValidationError(_("The tree of the framework is broken."), code="missing_parent")
        for key, code, name, kind, parent_key, position in ready:
            created[key] = Competency(
                framework=framework,
                parent=created[parent_key] if parent_key is not None else None,
                code=code,
                name=name,
                kind=kind,
                position=position,
            )
        # one INSERT per level of the tree, children after their parents (bulk_create sets the keys on PostgreSQL
        # and SQLite alike); the history rows are written for each, as a save would.
        batch = [created[row[0]] for row in ready]
        Competency.objects.bulk_create(batch)
        Competency.history.bulk_history_create(batch, default_change_reason="")
        remaining = [row for row in remaining if row not in ready]


# ---------------------------------------------------------------- competencies


@dataclass
class _Data:
    code: str
    name: str
    kind: str
    parent: Competency | None


def _check_competency(
    framework: CompetencyFramework, data: _Data, *, competency: Competency | None = None
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not data.code:
        refuse("code", _("Enter the code of the competency."), "required")
    elif len(data.code) > CODE_MAX:
        refuse("code", _("The code is longer than %(max)s characters.") % {"max": CODE_MAX}, "too_long")
    else:
        same = Competency.objects.filter(framework=framework, code=data.code)
        if competency is not None:
            same = same.exclude(pk=competency.pk)
        if same.exists():
            refuse(
                "code",
                _("The framework already has a competency with the code «%(code)s».") % {"code": data.code},
                "duplicate_code",
            )
    if not data.name:
        refuse("name", _("Enter the name of the competency."), "required")
    elif len(data.name) > COMPETENCY_NAME_MAX:
        refuse("name", _("The name is longer than %(max)s characters.") % {"max": COMPETENCY_NAME_MAX}, "too_long")
    if data.kind not in CompetencyKind.values:
        refuse("kind", _("Choose the kind of the competency."), "required")
        return errors
    parent, wanted = data.parent, PARENT_KIND[data.kind]
    if parent is not None and parent.framework_id != framework.pk:
        refuse("parent", _("The parent must belong to the same framework."), "wrong_framework")
    elif wanted is None and parent is not None:
        refuse("parent", _("A generalised labour function is at the top of the tree: it has no parent."), "wrong_kind")
    elif wanted is not None and parent is None:
        refuse("parent", _parent_message(data.kind), "missing_parent")
    elif competency is not None and parent is not None and _is_below(parent, competency):
        refuse("parent", _("A competency cannot be placed under itself or under its own part."), "cycle")
    elif parent is not None and parent.kind != wanted:
        refuse("parent", _parent_message(data.kind), "wrong_kind")
    if competency is not None and data.kind != competency.kind:
        child_kind = CHILD_KIND.get(CompetencyKind(data.kind))
        if Competency.objects.filter(parent=competency).exclude(kind=child_kind or "").exists():
            refuse(
                "kind",
                _("The competency has parts that cannot stand under a %(kind)s: move or delete them first.")
                % {"kind": CompetencyKind(data.kind).label},
                "wrong_kind",
            )
    return errors


def _parent_message(kind: str) -> str:
    if kind == CompetencyKind.FUNCTION:
        return _("A labour function is placed under a generalised labour function.")
    return _("An indicator is placed under a labour function.")


def _is_below(candidate: Competency, competency: Competency) -> bool:
    """`candidate` is `competency` or one of its descendants (the tree is shallow: a few queries at most)."""
    seen: set[int] = set()
    node: Competency | None = candidate
    while node is not None and node.pk not in seen:
        if node.pk == competency.pk:
            return True
        seen.add(node.pk)
        node = Competency.objects.filter(pk=node.parent_id).first() if node.parent_id else None
    return False


def _data(code: str, name: str, kind: str, parent: Competency | None) -> _Data:
    return _Data(code=_clean(code), name=_clean(name), kind=(kind or "").strip(), parent=parent)


@transaction.atomic
def competency_add(
    *, framework: CompetencyFramework, code: str, name: str, kind: str, parent: Competency | None = None
) -> Competency:
    """A new competency at the end of its parent's parts (positions follow the tree's reading order)."""
    framework = _editable(framework)
    data = _data(code, name, kind, parent)
    errors = _check_competency(framework, data)
    if errors:
        raise ValidationError(errors)
    position = (Competency.objects.filter(framework=framework).aggregate(m=Max("position"))["m"] or 0) + 1
    competency = Competency(
        framework=framework, code=data.code, name=data.name, kind=data.kind, parent=data.parent, position=position
    )
    competency.save()
    return competency


def _locked_competency(competency: Competency) -> tuple[CompetencyFramework, Competency]:
    framework = _editable(competency.framework)
    return framework, Competency.objects.select_for_update().get(pk=competency.pk)


@transaction.atomic
def competency_update(
    *, competency: Competency, code: str, name: str, kind: str, parent: Competency | None = None
) -> Competency:
    """Change a competency's code, name, kind or parent."""
    framework, competency = _locked_competency(competency)
    data = _data(code, name, kind, parent)
    errors = _check_competency(framework, data, competency=competency)
    if errors:
        raise ValidationError(errors)
    competency.code, competency.name, competency.kind, competency.parent = data.code, data.name, data.kind, data.parent
    competency.save()
    return competency


@transaction.atomic
def competency_delete(*, competency: Competency) -> None:
    """Delete a competency that has no parts and no scores."""
    _framework, competency = _locked_competency(competency)
    if Competency.objects.filter(parent=competency).exists():
        raise ValidationError(
            _("«%(code)s» has parts: delete or move them first.") % {"code": competency.code}, code="has_children"
        )
    if Score.objects.filter(competency=competency).exists():
        raise ValidationError(
            _("«%(code)s» has been assessed: its scores keep it.") % {"code": competency.code}, code="has_scores"
        )
    competency.delete()


@transaction.atomic
def framework_delete(*, framework: CompetencyFramework) -> None:
    """Delete a framework no campaign has used (its tree with it): a copy made by mistake, a draft version. A framework
    used in a campaign keeps its scores' meaning and stays (`framework_in_use`); the last framework stays too, as
    campaigns need one (`last_framework`). Its copies keep their tree and lose only the «copied from» link."""
    framework = _locked(framework)
    if DiagnosticCampaign.objects.filter(framework=framework).exists():
        raise ValidationError(
            _("The framework «%(framework)s» is used in a diagnostics campaign: it is kept with its scores.")
            % {"framework": framework},
            code="framework_in_use",
        )
    if not CompetencyFramework.objects.exclude(pk=framework.pk).exists():
        raise ValidationError(
            _("This is the only competency framework: campaigns need one. Create or import another first."),
            code="last_framework",
        )
    framework.delete()


# ---------------------------------------------------------------- CSV


def framework_rows(framework: CompetencyFramework) -> list[tuple[str, str, str, str]]:
    """(code, name, kind, parent code) in the reading order of the tree."""
    items = list(Competency.objects.filter(framework=framework).order_by("position", "code", "pk"))
    codes = {item.pk: item.code for item in items}
    children: dict[int | None, list[Competency]] = {}
    for item in items:
        parent_id = item.parent_id if item.parent_id in codes else None
        children.setdefault(parent_id, []).append(item)
    rows: list[tuple[str, str, str, str]] = []

    def visit(parent_id: int | None) -> None:
        for item in children.get(parent_id, []):
            rows.append((item.code, item.name, item.kind, codes.get(item.parent_id or 0, "")))
            visit(item.pk)

    visit(None)
    return rows


#: A cell starting with one of these is a formula to a spreadsheet: the export puts «'» before it (Excel shows the
#: text as typed), and the import takes that «'» away again, so that the round trip keeps the text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _from_text(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def framework_csv(framework: CompetencyFramework) -> bytes:
    """The framework as a CSV file for Excel: UTF-8 with a BOM, «;» between the cells; no cell a formula."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(tuple(_as_text(cell) for cell in row) for row in framework_rows(framework))
    return stream.getvalue().encode("utf-8-sig")


#: The Russian names a kind cell may carry (folded: lower case, «ё» as «е»), whatever the interface's language.
RUSSIAN_KINDS = {
    "обобщенная трудовая функция": CompetencyKind.GENERALISED,
    "обобщенная функция": CompetencyKind.GENERALISED,
    "трудовая функция": CompetencyKind.FUNCTION,
    "функция": CompetencyKind.FUNCTION,
    "индикатор": CompetencyKind.INDICATOR,
}


def _kinds() -> dict[str, str]:
    """What a kind cell may say: the code, its Russian name, or its name in the current language."""
    known: dict[str, str] = {key: str(kind) for key, kind in RUSSIAN_KINDS.items()}
    for kind in CompetencyKind:
        known[_fold(kind.value)] = kind.value
        known[_fold(str(kind.label))] = kind.value
    return known


def _row_error(line: int, message: str, code: str) -> tuple[int, ValidationError]:
    """A bad row's refusal, with its row number to sort by."""
    return line, ValidationError(_("Row %(line)s: %(message)s") % {"line": line, "message": message}, code=code)


def _read_file(uploaded_file) -> list[list[str]]:
    """The file's rows as lists of cells (the header first), checked as a CSV table."""
    if uploaded_file is None:
        raise ValidationError(_("Choose a CSV file to upload."), code="required")
    data = uploads.read_limited(uploaded_file, MAX_FILE_SIZE)
    filename = os.path.basename(getattr(uploaded_file, "name", "") or "")
    not_csv = ValidationError(
        _("Upload a CSV file: a table saved as «CSV (разделители — точка с запятой)», UTF-8."), code="file_type"
    )
    if data.strip():
        mime = uploads.detect_type(data)
        extension = os.path.splitext(filename)[1].lower()
        if not mime.startswith("text/") or mime in tables.NOT_TABLE_TEXT or extension not in tables.CSV_EXTENSIONS:
            raise not_csv
    dataset = tables.load_dataset(data, filename)
    rows = [list(dataset.headers or [])]
    rows.extend(list(row) for row in dataset)
    return rows


def _columns(header: list) -> dict[str, int]:
    folded = [_fold(cell) for cell in header]
    columns: dict[str, int] = {}
    for column, aliases in HEADER_ALIASES.items():
        for index, cell in enumerate(folded):
            if cell in aliases:
                columns[column] = index
                break
    missing = [column for column in CSV_HEADER if column not in columns]
    if missing:
        raise ValidationError(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ";".join(CSV_HEADER), "missing": ", ".join(missing)},
            code="columns",
        )
    return columns


def _parsed(uploaded_file) -> list[tuple[int, str, str, str, str]]:
    """(row number, code, name, kind, parent code) of every good row; ValidationError naming every bad one."""
    rows = _read_file(uploaded_file)
    columns = _columns(rows[0])
    kinds = _kinds()

    def cell(row: list, column: str) -> str:
        index = columns[column]
        return _from_text(_clean(row[index])) if index < len(row) else ""

    entries: list[tuple[int, str, str, str, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        values = [cell(row, column) for column in CSV_HEADER]
        if any(values):
            entries.append((line, *values))  # type: ignore[arg-type]
    if not entries:
        raise ValidationError(_("The file has no rows with competencies."), code="no_rows")
    if len(entries) > MAX_ROWS:
        raise ValidationError(
            _("The file has %(count)s rows; a framework has at most %(max)s.")
            % {"count": len(entries), "max": MAX_ROWS},
            code="too_many_rows",
        )
    errors: list[tuple[int, ValidationError]] = []
    first_line: dict[str, int] = {}
    kind_of: dict[str, str] = {}
    for line, code, name, kind, _parent in entries:
        if not code or not name:
            missing = _("the code") if not code else _("the name")
            errors.append(_row_error(line, _("%(what)s is empty.") % {"what": missing}, "required"))
        elif len(code) > CODE_MAX or len(name) > COMPETENCY_NAME_MAX:
            errors.append(
                _row_error(
                    line,
                    _("the code takes at most %(code)s characters, the name %(name)s.")
                    % {"code": CODE_MAX, "name": COMPETENCY_NAME_MAX},
                    "too_long",
                )
            )
        if code and code in first_line:
            errors.append(
                _row_error(
                    line,
                    _("the code «%(code)s» is already in row %(first)s.") % {"code": code, "first": first_line[code]},
                    "duplicate_code",
                )
            )
        elif code:
            first_line[code] = line
            if _fold(kind) in kinds:
                kind_of[code] = kinds[_fold(kind)]
        if _fold(kind) not in kinds:
            errors.append(
                _row_error(
                    line,
                    _("the kind «%(kind)s» is unknown: write generalised, function or indicator.") % {"kind": kind}
                    if kind
                    else _("the kind is empty: write generalised, function or indicator."),
                    "wrong_kind" if kind else "required",
                )
            )
    for line, code, _name, kind, parent in entries:
        own = kinds.get(_fold(kind))
        if own is None:
            continue
        wanted = PARENT_KIND[own]
        if wanted is None:
            if parent:
                errors.append(
                    _row_error(
                        line,
                        _("a generalised labour function has no parent, yet «%(parent)s» is given.")
                        % {"parent": parent},
                        "wrong_kind",
                    )
                )
        elif not parent:
            errors.append(
                _row_error(line, _("the parent's code is empty.") + " " + _parent_message(own), "missing_parent")
            )
        elif parent not in first_line:
            errors.append(
                _row_error(
                    line, _("the parent «%(parent)s» is not in the file.") % {"parent": parent}, "missing_parent"
                )
            )
        elif parent == code:
            errors.append(_row_error(line, _("a competency cannot be its own parent."), "wrong_kind"))
        elif parent in kind_of and kind_of[parent] != wanted:
            errors.append(_row_error(line, _parent_message(own), "wrong_kind"))
    if errors:
        errors.sort(key=lambda item: item[0])  # row by row, as in the file (sorted() keeps a row's own order)
        raise ValidationError([error for _line, error in errors])
    return [(line, code, name, kinds[_fold(kind)], parent) for line, code, name, kind, parent in entries]


@transaction.atomic
def framework_import(
    *,
    uploaded_file,
    by: Person | None,
    framework: CompetencyFramework | None = None,
    name: str = "",
    source: str = "",
) -> CompetencyFramework:
    """Read a CSV file into a new framework named `name` (default scale), or into `framework` (not frozen, never
    assessed) replacing its whole tree; all or nothing."""
    if framework is not None:
        framework = _editable(framework)
    else:
        name, source = _checked_name(name, source)
    entries = _parsed(uploaded_file)
    if framework is None:
        framework = framework_create(name=name, source=source, by=by)
    else:
        if Score.objects.filter(competency__framework=framework).exists():  # frozen frameworks only, in practice
            raise ValidationError(_("The framework has been assessed: its tree no longer changes."), code="has_scores")
        Competency.objects.filter(framework=framework).delete()
    _create_tree(
        framework,
        [
            (code, code, name_, kind, parent or None, position)
            for position, (_line, code, name_, kind, parent) in enumerate(entries, start=1)
        ],
    )
    return framework
