"""Professional development records (ПК, переподготовка, стажировка): adding, editing, confirming, returning and
deleting them.

Who may call which is the rules' business (attestation/rules/training.py); these functions check the record's
state and the data, lock the record while they change it, and refuse with a ValidationError carrying a code,
writing nothing:

- the data (`training_add`, `training_update`, on the field concerned): `required`; `hours_below_minimum` (hours
  ≤ 0 or fewer than the kind's minimum, attestation.models.MIN_HOURS: ПК 16, переподготовка 250);
  `ends_before_start`; `ends_in_future` (a record is of training that is over, with its document issued: a course
  still running is added when it ends, so nothing waits for confirmation that cannot be confirmed);
  `document_kind_mismatch` (ДПО ends with the document the law names, 273-ФЗ ст. 60 ч. 10: a ПК with an
  удостоверение, a переподготовка with a диплом; a стажировка with a справка, an удостоверение when it was part of
  a ПК programme, or another document); `person_not_staff`; `training_duplicate` (the same person, kind,
  programme and dates); the scan's own codes from metodservice.common.uploads (`file_type`, `file_too_big`, …);
- the state: `training_confirmed` (a confirmed record changes only by a methodist other than its person, and is
  never deleted), `not_owner` (deleting someone else's record), `training_not_waiting` (confirming or returning a record not waiting for confirmation),
  `own_record` (nobody confirms or returns their own record), `training_not_ended` (confirming a course that has
  not ended, e.g. a record whose dates were written straight into the database), `comment_required`.

An edit of a returned record sends it back for confirmation (whoever corrected it); the return comment stays on it for the
confirmer to check the fix against. A replaced or removed scan is deleted from storage once the change commits.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metodservice.common import uploads
from structure.models import Person, SystemRole

from ..models import MIN_HOURS, DocumentKind, TrainingKind, TrainingRecord, TrainingStatus

#: The documents each kind of training ends with (273-ФЗ ст. 60 ч. 10 for ДПО).
DOCUMENTS_OF_KIND: dict[str, tuple[str, ...]] = {
    TrainingKind.QUALIFICATION: (DocumentKind.CERTIFICATE,),
    TrainingKind.RETRAINING: (DocumentKind.DIPLOMA,),
    TrainingKind.INTERNSHIP: (DocumentKind.STATEMENT, DocumentKind.CERTIFICATE, DocumentKind.OTHER),
}

#: The fields of a record the forms fill (and the history shows).
FIELDS = ("kind", "programme", "provider", "hours", "start", "end", "document_kind", "document_number")


def _minimum_message(kind: str) -> str:
    messages: dict[str, str] = {
        TrainingKind.QUALIFICATION: _("A professional development course (ПК) takes at least %(minimum)s hours."),
        TrainingKind.RETRAINING: _("Professional retraining takes at least %(minimum)s hours."),
        TrainingKind.INTERNSHIP: _("Enter the hours of the internship: at least %(minimum)s."),
    }
    return messages[kind] % {"minimum": MIN_HOURS[TrainingKind(kind)]}


def _mismatch_message(kind: str) -> str:
    messages: dict[str, str] = {
        TrainingKind.QUALIFICATION: _(
            "A professional development course (ПК) ends with a certificate (удостоверение)."
        ),
        TrainingKind.RETRAINING: _("Professional retraining ends with a diploma."),
        TrainingKind.INTERNSHIP: _("An internship is confirmed by a statement, a certificate or another document."),
    }
    return messages[kind]


def _is_methodist(person: Person) -> bool:
    return person.position is not None and person.position.system_role == SystemRole.METHODIST


def _check_data(data: dict[str, Any], *, today: datetime.date) -> dict[str, list[ValidationError]]:
    """Every problem of the record's data, by field."""
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    kind, document_kind = data["kind"], data["document_kind"]
    if kind not in TrainingKind.values:
        refuse("kind", _("Choose the kind of training."), "required" if not kind else "invalid_choice")
    if document_kind not in DocumentKind.values:
        refuse("document_kind", _("Choose the document."), "required" if not document_kind else "invalid_choice")
    for field, message in (
        ("programme", _("Enter the name of the programme.")),
        ("provider", _("Enter the organisation that ran the training.")),
    ):
        if not data[field]:
            refuse(field, message, "required")
    hours = data["hours"]
    if hours is None:
        refuse("hours", _("Enter the number of hours."), "required")
    elif kind in TrainingKind.values and hours < MIN_HOURS[TrainingKind(kind)]:
        refuse("hours", _minimum_message(kind), "hours_below_minimum")
    elif hours <= 0:
        refuse("hours", _("The number of hours must be positive."), "hours_below_minimum")
    start, end = data["start"], data["end"]
    if start is None:
        refuse("start", _("Enter the first day of the training."), "required")
    if end is None:
        refuse("end", _("Enter the last day of the training."), "required")
    if start is not None and end is not None and end < start:
        refuse("end", _("The training cannot end before it starts."), "ends_before_start")
    if end is not None and end > today:
        refuse(
            "end",
            _(
                "The training ends on %(end)s, after today: add the record when it is over and its document has "
                "been issued."
            )
            % {"end": f"{end:%d.%m.%Y}"},
            "ends_in_future",
        )
    if (
        kind in TrainingKind.values
        and document_kind in DocumentKind.values
        and document_kind not in DOCUMENTS_OF_KIND[kind]
    ):
        refuse("document_kind", _mismatch_message(kind), "document_kind_mismatch")
    return errors


def _cleaned(
    *,
    kind: str,
    programme: str,
    provider: str,
    hours: int | None,
    start: datetime.date | None,
    end: datetime.date | None,
    document_kind: str,
    document_number: str,
) -> dict[str, Any]:
    return {
        "kind": kind or "",
        "programme": " ".join((programme or "").split()),
        "provider": " ".join((provider or "").split()),
        "hours": hours,
        "start": start,
        "end": end,
        "document_kind": document_kind or "",
        "document_number": (document_number or "").strip(),
    }


def _check_scan(scan, errors: dict[str, list[ValidationError]]) -> uploads.CheckedUpload | None:
    if not scan:
        return None
    try:
        return uploads.check_upload(scan, uploads.TRAINING_SCAN)
    except ValidationError as error:
        errors.setdefault("scan", []).append(error)
        return None


def _check_duplicate(person: Person, data: dict[str, Any], *, exclude: int | None = None) -> None:
    same = TrainingRecord.objects.filter(person=person, kind=data["kind"], start=data["start"], end=data["end"])
    if exclude is not None:
        same = same.exclude(pk=exclude)
    # Compared in Python: SQLite's case-insensitive match folds Latin letters only.
    programme = data["programme"].casefold()
    if any(other.casefold() == programme for other in same.values_list("programme", flat=True)):
        raise ValidationError(
            _("%(person)s already has this record: the same programme with the same dates.")
            % {"person": person.full_name},
            code="training_duplicate",
        )


def _store_scan(record: TrainingRecord, upload: uploads.CheckedUpload) -> str:
    """Put the checked upload on the record under a random name; the history row's reason keeps the name the file
    was uploaded under. Returns the name of the file it replaces ("" if none)."""
    replaced = record.scan.name or ""
    record.scan = upload.stored_file()
    reason = (_("Scan uploaded: «%(name)s»") % {"name": upload.original_name})[:100]
    record._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history when saving
    return replaced


def _save(record: TrainingRecord, *, new_scan: bool, replaced: str) -> None:
    """Validate and save; a file stored for a save that fails is removed, a replaced one once the save commits."""
    try:
        record.full_clean(exclude=["person", "created_by", "confirmed_by"])
        record.save()
    except Exception:
        if new_scan and record.scan.name and record.scan.name != replaced:
            record.scan.storage.delete(record.scan.name)
        raise
    if replaced and replaced != record.scan.name:
        uploads.delete_on_commit(record.scan.storage, replaced)


def _validated(person: Person, fields: dict, scan, *, today: datetime.date, exclude: int | None = None):
    """The cleaned fields and the checked scan, or a ValidationError naming every bad field (then the duplicate
    check); nothing is written here."""
    data = _cleaned(**fields)
    errors = _check_data(data, today=today)
    upload = _check_scan(scan, errors)
    if errors:
        raise ValidationError(errors)
    _check_duplicate(person, data, exclude=exclude)
    return data, upload


@transaction.atomic
def training_add(
    *,
    person: Person,
    by: Person,
    kind: str,
    programme: str,
    provider: str,
    hours: int | None,
    start: datetime.date | None,
    end: datetime.date | None,
    document_kind: str,
    document_number: str = "",
    scan=None,
    today: datetime.date | None = None,
) -> TrainingRecord:
    """A new record of `person`, added by `by` (the person, or the methodist for anyone), waiting for confirmation."""
    today = today or timezone.localdate()
    if person.is_external:
        raise ValidationError(
            _("Professional development records are kept for the college's staff only."), code="person_not_staff"
        )
    data, upload = _validated(
        person,
        dict(
            kind=kind,
            programme=programme,
            provider=provider,
            hours=hours,
            start=start,
            end=end,
            document_kind=document_kind,
            document_number=document_number,
        ),
        scan,
        today=today,
    )
    record = TrainingRecord(person=person, created_by=by, status=TrainingStatus.SUBMITTED, **data)
    if upload is not None:
        _store_scan(record, upload)
    _save(record, new_scan=upload is not None, replaced="")
    return record


def _locked(record: TrainingRecord) -> TrainingRecord:
    return TrainingRecord.objects.select_for_update(of=("self",)).select_related("person").get(pk=record.pk)


@transaction.atomic
def training_update(
    *,
    record: TrainingRecord,
    by: Person,
    kind: str,
    programme: str,
    provider: str,
    hours: int | None,
    start: datetime.date | None,
    end: datetime.date | None,
    document_kind: str,
    document_number: str = "",
    scan=None,
    remove_scan: bool = False,
    today: datetime.date | None = None,
) -> TrainingRecord:
    """Change a record. Unconfirmed: its person or author, or the methodist (a returned record goes back for
    confirmation); confirmed: a methodist other than its person, and it stays confirmed."""
    today = today or timezone.localdate()
    record = _locked(record)
    if record.status == TrainingStatus.CONFIRMED and (not _is_methodist(by) or by.pk == record.person_id):
        raise ValidationError(
            _("The record has been confirmed; only the methodist can correct it now."), code="training_confirmed"
        )
    data, upload = _validated(
        record.person,
        dict(
            kind=kind,
            programme=programme,
            provider=provider,
            hours=hours,
            start=start,
            end=end,
            document_kind=document_kind,
            document_number=document_number,
        ),
        scan,
        today=today,
        exclude=record.pk,
    )
    for field, value in data.items():
        setattr(record, field, value)
    replaced = ""
    if upload is not None:
        replaced = _store_scan(record, upload)
    elif remove_scan and record.scan:
        replaced = record.scan.name or ""
        record.scan = None
    if record.status == TrainingStatus.RETURNED:
        record.status = TrainingStatus.SUBMITTED  # corrected: waiting for confirmation again
    _save(record, new_scan=upload is not None, replaced=replaced)
    return record


def _locked_waiting(record: TrainingRecord, by: Person) -> TrainingRecord:
    record = _locked(record)
    if record.status != TrainingStatus.SUBMITTED:
        raise ValidationError(
            _("The record is no longer waiting for confirmation: it is now «%(status)s».")
            % {"status": record.get_status_display()},
            code="training_not_waiting",
        )
    if record.person_id == by.pk:
        raise ValidationError(
            _("You cannot confirm or return your own record: another confirmer does it."), code="own_record"
        )
    return record


@transaction.atomic
def training_confirm(*, record: TrainingRecord, by: Person, today: datetime.date | None = None) -> TrainingRecord:
    """The methodist (or the deputy) confirms a record waiting for it: from now on it counts for compliance."""
    today = today or timezone.localdate()
    record = _locked_waiting(record, by)
    if record.end > today:
        raise ValidationError(
            _("The training ends on %(end)s: it can be confirmed once it is over.") % {"end": f"{record.end:%d.%m.%Y}"},
            code="training_not_ended",
        )
    record.status = TrainingStatus.CONFIRMED
    record.confirmed_by = by
    record.confirmed_at = timezone.now()
    record.save()
    return record


@transaction.atomic
def training_return(*, record: TrainingRecord, by: Person, comment: str) -> TrainingRecord:
    """The methodist (or the deputy) returns a record waiting for confirmation, saying what to correct."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Write what to correct in the record."), code="comment_required")}
        )
    record = _locked_waiting(record, by)
    record.status = TrainingStatus.RETURNED
    record.return_comment = comment
    record.save()
    return record


@transaction.atomic
def training_delete(*, record: TrainingRecord, by: Person) -> None:
    """Delete a record not yet confirmed (its person or author); its scan is removed once the deletion commits."""
    record = _locked(record)
    if by.pk not in {record.person_id, record.created_by_id}:
        raise ValidationError(_("Only the record's author can delete it."), code="not_owner")
    if record.status == TrainingStatus.CONFIRMED:
        raise ValidationError(
            _("A confirmed record is not deleted; ask the methodist to correct it."), code="training_confirmed"
        )
    scan = record.scan.name
    storage = record.scan.storage
    record.delete()
    uploads.delete_on_commit(storage, scan or "")
