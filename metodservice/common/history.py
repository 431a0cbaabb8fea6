"""Readable change logs from django-simple-history: who changed which field of which record from what to what.

`history_rows(obj, *related)` turns the historical records of an object (and, optionally, of the records that hang
off it by reverse foreign keys, e.g. a meeting's attendance and the decisions of its agenda items) into rows for
`templates/includes/history.html`, newest first, merged by time:

- when, who (the account's full name or username), created / changed / deleted, and which record it was;
- for a change, the fields that changed, by verbose name, with the old and the new value as the pages show them:
  choices by label, foreign keys by the referenced object's str(), booleans «да» / «нет», dates dd.mm.yyyy,
  files by name, empty as «—»; tracked many-to-many fields (`HistoricalRecords(m2m_fields=…)`) as who was added
  and who removed.

The log is one query: the union of every source's latest rows (UNION ALL, newest first), each row's tracked values
and those of the same record's previous historical row as JSON objects (a correlated subquery), the tracked
many-to-many ids of both as text (a subquery each), the author's names by a join. The objects the shown values
refer to (a person, a position …) come in one query per referenced model, only when a shown change names one: the
number of queries never depends on the number of rows. Generic: imports no app.
"""

from __future__ import annotations

import datetime
import decimal
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, StringAgg, Subquery, Value
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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
    """A historical row on its way to a HistoryRow, read with its predecessor (one query for the whole log): the
    tracked values of the row and of the same record's previous row, by attname, m2m fields as sets of ids."""

    source: _Source
    model: type  # the historical model
    history_id: int
    when: datetime.datetime
    history_type: str
    who: str
    values: dict
    previous: dict | None
    # (original field, old raw value, new raw value); for an m2m field the values are sets of ids.
    changes: list[tuple[models.Field, object, object]] = field(default_factory=list)
    unknown_before: bool = False


def history_rows(
    obj: models.Model | QuerySet,
    *related: Related,
    limit: int = HISTORY_LIMIT,
    exclude: Iterable[str] = (),
    known: Iterable[models.Model] = (),
) -> list[HistoryRow]:
    """The latest `limit` changes of `obj` (a model instance with history, or a queryset of historical records)
    and of its `related` records, newest first. `known`: objects the page has already read (e.g. the people of its
    visas), which the log names without reading them again."""
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
    return _rows(sources, limit, known)


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


#: Rows read per log: more than shown, for the saves that changed nothing the log shows (skipped).
READ_FACTOR = 3
_M2M = "m2m__"


def _m2m_fields(history_model) -> list[models.ManyToManyField]:
    return list(getattr(history_model, "_history_m2m_fields", None) or [])


def _state(history_model) -> JSONObject:
    """A historical row's tracked values as one JSON object, its tracked many-to-many fields as comma-separated ids
    (a subquery of the field's historical table each)."""
    values: dict = {f.attname: F(f.attname) for f in history_model.tracked_fields}
    for m2m in _m2m_fields(history_model):
        m2m_history = getattr(history_model, m2m.name).model
        target = m2m_history._meta.get_field(m2m.m2m_reverse_field_name()).attname
        ids = (
            m2m_history._default_manager.filter(history_id=OuterRef("history_id"))
            .order_by()
            .values("history_id")
            .annotate(ids=StringAgg(Cast(target, models.CharField()), Value(",")))
            .values("ids")
        )
        values[_M2M + m2m.name] = Subquery(ids)
    return JSONObject(**values)


def _log_part(index: int, queryset: QuerySet) -> QuerySet:
    """One source's rows for the union: which source, the row's time, kind and author's names, its state and the
    state of the same record's previous historical row (a correlated subquery)."""
    history_model = queryset.model
    pk = history_model.instance_type._meta.pk.attname
    previous = (
        history_model._default_manager.filter(**{pk: OuterRef(pk)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values(state=_state(history_model))[:1]
    )
    return (
        queryset.order_by()
        .annotate(
            log_source=Value(index, output_field=models.IntegerField()),
            log_first_name=F("history_user__first_name"),
            log_last_name=F("history_user__last_name"),
            log_username=F("history_user__username"),
            log_state=_state(history_model),
            log_previous=Subquery(previous, output_field=models.JSONField()),
        )
        .values(
            "log_source",
            "history_id",
            "history_date",
            "history_type",
            "log_first_name",
            "log_last_name",
            "log_username",
            "log_state",
            "log_previous",
        )
    )


def _decoded(history_model, state) -> dict | None:
    """A state read as JSON with the values the model would hold: dates, times, decimals … (m2m as id sets)."""
    if state is None:
        return None
    if isinstance(state, str):  # a backend that hands a nested JSON value back as text
        state = json.loads(state)
    values = {f.attname: _from_json(f, state.get(f.attname)) for f in history_model.tracked_fields}
    for m2m in _m2m_fields(history_model):
        raw = state.get(_M2M + m2m.name)
        to_python = m2m.related_model._meta.pk.to_python
        values[_M2M + m2m.name] = {to_python(v) for v in str(raw).split(",") if v} if raw else set()
    return values


def _from_json(f: models.Field, value):
    if value is None:
        return None
    if isinstance(f, models.DateTimeField):
        moment = value if isinstance(value, datetime.datetime) else parse_datetime(str(value))
        if moment is not None and settings.USE_TZ and timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        return moment
    if isinstance(f, models.DateField):
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])
    if isinstance(f, models.TimeField):
        return value if isinstance(value, datetime.time) else datetime.time.fromisoformat(str(value))
    if isinstance(f, models.DecimalField):
        return decimal.Decimal(str(value))
    if isinstance(f, models.BooleanField):
        return bool(value)
    if isinstance(f, models.JSONField):
        return value
    try:
        return f.to_python(value)
    except Exception:  # noqa: BLE001 - a stored value shown as it is rather than a broken log
        return value


def _rows(sources: list[_Source], limit: int, known: Iterable[models.Model] = ()) -> list[HistoryRow]:
    # One query for the whole log: the union of every source's latest rows, each with its predecessor's state and
    # its author's names.
    parts = [_log_part(index, source.queryset) for index, source in enumerate(sources)]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    entries: list[_Entry] = []
    for row in union.order_by("-history_date", "-history_id")[: limit * READ_FACTOR + 1]:
        source = sources[row["log_source"]]
        history_model = source.queryset.model
        who = f"{row['log_first_name'] or ''} {row['log_last_name'] or ''}".strip() or (row["log_username"] or "")
        entries.append(
            _Entry(
                source=source,
                model=history_model,
                history_id=row["history_id"],
                when=row["history_date"],
                history_type=row["history_type"],
                who=who,
                values=_decoded(history_model, row["log_state"]) or {},
                previous=_decoded(history_model, row["log_previous"]),
            )
        )

    shown: list[_Entry] = []
    for entry in entries:
        if entry.history_type == "~" and not _diff(entry):
            continue  # a save that changed nothing shown
        shown.append(entry)
        if len(shown) == limit:
            break
    objects = _referenced_objects(shown, known)
    return [_row(entry, objects) for entry in shown]


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
        for f in entry.model.tracked_fields
        if f.editable
        and not f.primary_key
        and _has_verbose_name(f)
        and f.name not in source.exclude
        and f.name != source.parent
    ]


def _diff(entry: _Entry) -> bool:
    """Fill entry.changes for a changed row; False when nothing shown changed."""
    row, previous = entry.values, entry.previous
    m2m_fields = [f for f in _m2m_fields(entry.model) if f.name not in entry.source.exclude and _has_verbose_name(f)]
    if previous is None:
        # Changed, but the state before was never recorded (e.g. the record was made by bulk_create): show what it
        # became, with the old value unknown.
        entry.unknown_before = True
        for f in _tracked(entry):
            if f.name == entry.source.name:
                continue  # already names the record
            value = row.get(f.attname)
            if value not in (None, ""):
                entry.changes.append((f, None, value))
        for f in m2m_fields:
            value = row.get(_M2M + f.name, set())
            if value:
                entry.changes.append((f, set(), value))
        return True
    for f in _tracked(entry):  # in the model's order
        old, new = previous.get(f.attname), row.get(f.attname)
        if old != new:
            entry.changes.append((f, old, new))
    for f in m2m_fields:
        old, new = previous.get(_M2M + f.name, set()), row.get(_M2M + f.name, set())
        if old != new:
            entry.changes.append((f, old, new))
    return bool(entry.changes)


def _is_fk(f: models.Field) -> bool:
    return f.is_relation and (f.many_to_one or f.one_to_one)


def _referenced_objects(entries: list[_Entry], known: Iterable[models.Model] = ()) -> dict[type, dict]:
    """The objects the shown values refer to, one query per referenced model (none for the `known` ones)."""
    wanted: dict[tuple[type, str], set] = defaultdict(set)
    for entry in entries:
        for f, old, new in entry.changes:
            if f.many_to_many:
                wanted[f.related_model, f.related_model._meta.pk.name] |= set(old) | set(new)
            elif _is_fk(f):
                wanted[f.related_model, f.remote_field.field_name] |= {v for v in (old, new) if v is not None}
        if entry.source.name:
            f = entry.model.instance_type._meta.get_field(entry.source.name)
            value = entry.values.get(f.attname)
            if _is_fk(f) and value is not None:
                wanted[f.related_model, f.remote_field.field_name].add(value)
    objects: dict[type, dict] = defaultdict(dict)
    for obj in known:
        objects[type(obj)][obj.pk] = obj
    for (model, field_name), ids in wanted.items():
        if field_name == model._meta.pk.name:
            ids = ids - set(objects[model])
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


def _names(f: models.Field, ids: set, objects) -> list[str]:
    targets = objects.get(f.related_model, {})
    return sorted(str(targets[i]) if i in targets else _("#%(id)s (deleted)") % {"id": i} for i in ids)


def _row(entry: _Entry, objects) -> HistoryRow:
    source = entry.source
    record = source.label
    if source.name:
        f = entry.model.instance_type._meta.get_field(source.name)
        name = display(f, entry.values.get(f.attname), objects, limit=NAME_LIMIT)
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
        when=entry.when,
        who=entry.who,
        action=_ACTIONS.get(entry.history_type, CHANGED),
        record=record,
        changes=changes,
    )
