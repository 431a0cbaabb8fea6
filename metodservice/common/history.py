"""Readable change logs from django-simple-history: who changed which field of which record from what to what.

`history_rows(obj, *related)` turns the historical records of an object (and, optionally, of the records that hang
off it by reverse foreign keys, e.g. a meeting's attendance and the decisions of its agenda items) into rows for
`templates/includes/history.html`, newest first, merged by time:

- when, who (the account's full name or username), created / changed / deleted, and which record it was;
- for a change, the fields that changed, by verbose name, with the old and the new value as the pages show them:
  choices by label, foreign keys by the referenced object's str(), booleans «да» / «нет», dates dd.mm.yyyy,
  files by name, empty as «—»; tracked many-to-many fields (`HistoricalRecords(m2m_fields=…)`) as who was added
  and who removed.

The previous state of each record is found in the same query as the record (a correlated subquery gives the
`history_id` of the record's previous historical row), the missing previous rows come in one query per model, the
tracked many-to-many rows in one query per field and the referenced objects in one query per model: the number of
queries depends on the kinds of records shown, never on the number of rows. Generic: imports no app.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model

#: How many rows a log shows.
HISTORY_LIMIT = 20
#: Long texts are cut to this many characters in the log; record names to NAME_LIMIT.
TEXT_LIMIT = 200
NAME_LIMIT = 80
EMPTY = "—"

CREATED, CHANGED, DELETED = "created", "changed", "deleted"
_ACTIONS = {"+": CREATED, "~": CHANGED, "-": DELETED}


@dataclass(frozen=True)
class Related:
    """Records hanging off the object whose history joins the object's log.

    `path` follows reverse foreign keys from the object, "__"-separated ("attendance", "agenda__decisions"); records
    of a deleted parent are found too, through the parent's history. `label` says what the record is (default: the
    model's verbose name), `name` is the field whose value names the record in the log ("person", "title").
    `history_types` keeps only some kinds of rows: "+-" for records that are added and removed but whose changes
    are the system's own (e.g. wording frozen at signing).
    """

    path: str
    label: str | None = None
    name: str | None = None
    exclude: tuple[str, ...] = ()
    history_types: str = "+~-"


@dataclass
class FieldChange:
    field: str
    old: str = ""
    new: str = ""
    #: For a many-to-many field: whom the change added and removed (old / new are then empty).
    many: bool = False
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class HistoryRow:
    when: datetime.datetime
    who: str
    action: str  # CREATED, CHANGED or DELETED
    record: str  # "" for the object itself, else what the record is and its name («Явка: Иванов Иван Иванович»)
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class _Source:
    queryset: QuerySet
    label: str = ""
    name: str | None = None
    exclude: frozenset[str] = frozenset()
    parent: str | None = None  # the foreign key to the object the record hangs off: never shown


@dataclass
class _Entry:
    """A historical row on its way to a HistoryRow: the raw changes before the values are displayed."""

    source: _Source
    row: models.Model
    # (original field, old raw value, new raw value); for an m2m field the values are sets of ids.
    changes: list[tuple[models.Field, object, object]] = field(default_factory=list)
    unknown_before: bool = False


def history_rows(
    obj: models.Model | QuerySet, *related: Related, limit: int = HISTORY_LIMIT, exclude: Iterable[str] = ()
) -> list[HistoryRow]:
    """The latest `limit` changes of `obj` (a model instance with history, or a queryset of historical records)
    and of its `related` records, newest first."""
    if isinstance(obj, QuerySet):
        if related:
            raise TypeError("related records need the object, not a history queryset")
        own = obj
    else:
        own = get_history_manager_for_model(obj).all()
    sources = [_Source(own, exclude=frozenset(exclude))]
    for rel in related:
        queryset, parent = _related_history(obj, rel.path)
        if set(rel.history_types) != set("+~-"):
            queryset = queryset.filter(history_type__in=list(rel.history_types))
        label = rel.label if rel.label is not None else capfirst(queryset.model.instance_type._meta.verbose_name)
        sources.append(_Source(queryset, str(label), rel.name, frozenset(rel.exclude), parent))
    return _rows(sources, limit)


def _related_history(obj: models.Model, path: str) -> tuple[QuerySet, str]:
    """Historical records of the models reached from `obj` by reverse foreign keys along `path`, and the name of
    the foreign key that leads back to the parent."""
    model, queryset = type(obj), None
    for step in path.split("__"):
        relation = model._meta.get_field(step)
        if not relation.one_to_many or not relation.auto_created:
            raise ValueError(f"{model.__name__}.{step} is not a reverse foreign key")
        child = relation.related_model
        history = get_history_manager_for_model(child)
        attname = relation.field.attname
        if queryset is None:
            queryset = history.filter(**{attname: obj.pk})
        else:  # parents as they ever were, deleted ones included
            queryset = history.filter(**{f"{attname}__in": queryset.values(model._meta.pk.attname)})
        model = child
    return queryset, relation.field.name


def _with_previous(queryset: QuerySet) -> QuerySet:
    """Annotate each historical row with the history_id of the same record's previous historical row."""
    history_model = queryset.model
    pk = history_model.instance_type._meta.pk.attname
    previous = (
        history_model._default_manager.filter(**{pk: OuterRef(pk)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return queryset.annotate(previous_history_id=Subquery(previous))


def _rows(sources: list[_Source], limit: int) -> list[HistoryRow]:
    # One query per source: its latest rows (one more than shown, so a lone object's oldest shown row finds its
    # predecessor among them) with their users and the id of each row's predecessor.
    pool: dict[tuple[type, int], models.Model] = {}
    entries: list[_Entry] = []
    for source in sources:
        queryset = _with_previous(source.queryset.select_related("history_user")).order_by(
            "-history_date", "-history_id"
        )
        for row in queryset[: limit + 1]:
            pool[type(row), row.history_id] = row
            entries.append(_Entry(source, row))
    entries.sort(key=lambda e: (e.row.history_date, e.row.history_id), reverse=True)

    _fetch_missing_previous(entries, pool)
    m2m_values = _fetch_m2m(entries, pool)

    shown: list[_Entry] = []
    for entry in entries:
        if entry.row.history_type == "~" and not _diff(entry, pool, m2m_values):
            continue  # a save that changed nothing shown
        shown.append(entry)
        if len(shown) == limit:
            break
    objects = _referenced_objects(shown)
    return [_row(entry, objects) for entry in shown]


def _previous(entry: _Entry, pool) -> models.Model | None:
    previous_id = getattr(entry.row, "previous_history_id", None)
    return None if previous_id is None else pool.get((type(entry.row), previous_id))


def _fetch_missing_previous(entries: list[_Entry], pool) -> None:
    missing: dict[type, set[int]] = defaultdict(set)
    for entry in entries:
        previous_id = entry.row.previous_history_id
        if entry.row.history_type == "~" and previous_id is not None and (type(entry.row), previous_id) not in pool:
            missing[type(entry.row)].add(previous_id)
    for history_model, ids in missing.items():
        for row in history_model._default_manager.filter(history_id__in=ids):
            pool[history_model, row.history_id] = row


def _m2m_fields(history_model) -> list[models.ManyToManyField]:
    return list(getattr(history_model, "_history_m2m_fields", None) or [])


def _fetch_m2m(entries: list[_Entry], pool) -> dict[tuple[type, str, int], set]:
    """The ids each tracked many-to-many field held at each changed row and its predecessor."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.row.history_type == "~" and _m2m_fields(type(entry.row)):
            wanted[type(entry.row)].add(entry.row.history_id)
            previous = _previous(entry, pool)
            if previous is not None:
                wanted[type(entry.row)].add(previous.history_id)
    values: dict[tuple[type, str, int], set] = {}
    for history_model, ids in wanted.items():
        for m2m in _m2m_fields(history_model):
            for history_id in ids:
                values[history_model, m2m.name, history_id] = set()
            m2m_history = getattr(history_model, m2m.name).model
            target = m2m_history._meta.get_field(m2m.m2m_reverse_field_name()).attname
            for history_id, target_id in m2m_history._default_manager.filter(history_id__in=ids).values_list(
                "history_id", target
            ):
                values[history_model, m2m.name, history_id].add(target_id)
    return values


def _has_verbose_name(f: models.Field) -> bool:
    """False for a field left with Django's default verbose name (its name with spaces, an untranslated str):
    a technical field (created_by, status_changed_at …) the pages never name, so the log does not either."""
    return not (isinstance(f.verbose_name, str) and f.verbose_name == f.name.replace("_", " "))


def _tracked(entry: _Entry) -> list[models.Field]:
    """The original model's fields the log shows: tracked, editable, with a verbose name, not excluded, not the
    foreign key to the parent."""
    source = entry.source
    return [
        f
        for f in entry.row.tracked_fields
        if f.editable
        and not f.primary_key
        and _has_verbose_name(f)
        and f.name not in source.exclude
        and f.name != source.parent
    ]


def _diff(entry: _Entry, pool, m2m_values) -> bool:
    """Fill entry.changes for a changed row; False when nothing shown changed."""
    row, previous = entry.row, _previous(entry, pool)
    history_model = type(row)
    m2m_fields = [f for f in _m2m_fields(history_model) if f.name not in entry.source.exclude and _has_verbose_name(f)]
    original = row.instance_type._meta
    if previous is None:
        # Changed, but the state before was never recorded (e.g. the record was made by bulk_create): show what it
        # became, with the old value unknown.
        entry.unknown_before = True
        for f in _tracked(entry):
            if f.name == entry.source.name:
                continue  # already names the record
            value = getattr(row, f.attname)
            if value not in (None, ""):
                entry.changes.append((f, None, value))
        for f in m2m_fields:
            value = m2m_values.get((history_model, f.name, row.history_id), set())
            if value:
                entry.changes.append((f, set(), value))
        return True
    shown = {f.name for f in _tracked(entry)}
    excluded = {f.name for f in row.tracked_fields if f.name not in shown} | {
        f.name for f in _m2m_fields(history_model)
    }
    delta = row.diff_against(previous, excluded_fields=excluded)
    order = {f.name: index for index, f in enumerate(row.tracked_fields)}
    for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0)):
        entry.changes.append((original.get_field(change.field), change.old, change.new))
    for f in m2m_fields:
        old = m2m_values.get((history_model, f.name, previous.history_id), set())
        new = m2m_values.get((history_model, f.name, row.history_id), set())
        if old != new:
            entry.changes.append((f, old, new))
    return bool(entry.changes)


def _is_fk(f: models.Field) -> bool:
    return f.is_relation and (f.many_to_one or f.one_to_one)


def _referenced_objects(entries: list[_Entry]) -> dict[type, dict]:
    """The objects the shown values refer to, one query per referenced model."""
    wanted: dict[tuple[type, str], set] = defaultdict(set)
    for entry in entries:
        for f, old, new in entry.changes:
            if f.many_to_many:
                wanted[f.related_model, f.related_model._meta.pk.name] |= set(old) | set(new)
            elif _is_fk(f):
                wanted[f.related_model, f.remote_field.field_name] |= {v for v in (old, new) if v is not None}
        if entry.source.name:
            f = entry.row.instance_type._meta.get_field(entry.source.name)
            value = getattr(entry.row, f.attname)
            if _is_fk(f) and value is not None:
                wanted[f.related_model, f.remote_field.field_name].add(value)
    objects: dict[type, dict] = defaultdict(dict)
    for (model, field_name), ids in wanted.items():
        if ids:
            objects[model].update(model._default_manager.in_bulk(ids, field_name=field_name))
    return objects


def display(f: models.Field, value, objects: dict[type, dict] | None = None, *, limit: int = TEXT_LIMIT) -> str:
    """A stored value as the pages show it."""
    if value is None or value == "":
        return EMPTY
    if _is_fk(f):
        target = (objects or {}).get(f.related_model, {}).get(value)
        return str(target) if target is not None else _("#%(id)s (deleted)") % {"id": value}
    if f.flatchoices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(f, models.DateTimeField):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(f, models.DateField):
        return f"{value:%d.%m.%Y}"
    if isinstance(f, models.TimeField):
        return f"{value:%H:%M}"
    if isinstance(f, models.FileField):
        return os.path.basename(str(value))
    if isinstance(f, models.JSONField):
        return _("(structured data)")
    return Truncator(str(value)).chars(limit)


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _names(f: models.Field, ids: set, objects) -> list[str]:
    targets = objects.get(f.related_model, {})
    return sorted(str(targets[i]) if i in targets else _("#%(id)s (deleted)") % {"id": i} for i in ids)


def _row(entry: _Entry, objects) -> HistoryRow:
    row, source = entry.row, entry.source
    record = source.label
    if source.name:
        f = row.instance_type._meta.get_field(source.name)
        name = display(f, getattr(row, f.attname), objects, limit=NAME_LIMIT)
        record = f"{source.label}: {name}" if source.label else name
    changes = []
    for f, old, new in entry.changes:
        if f.many_to_many:
            changes.append(
                FieldChange(
                    str(capfirst(f.verbose_name)),
                    many=True,
                    added=_names(f, new - old, objects),
                    removed=_names(f, old - new, objects),
                )
            )
        else:
            changes.append(
                FieldChange(
                    str(capfirst(f.verbose_name)),
                    old=_("not recorded") if entry.unknown_before else display(f, old, objects),
                    new=display(f, new, objects),
                )
            )
    return HistoryRow(
        when=row.history_date,
        who=_who(row.history_user),
        action=_ACTIONS.get(row.history_type, CHANGED),
        record=record,
        changes=changes,
    )
