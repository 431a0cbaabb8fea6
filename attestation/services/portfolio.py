"""The portfolio: creating it for a period, changing its title and period, picking its entries, adding and
deleting its documents, deleting it.

Who may call which is the rules' business (attestation/rules/portfolio.py: the portfolio's person); these
functions check the actor again, the data and the entries, lock the portfolio while they change it, and refuse with
a ValidationError carrying a code, writing nothing:

- `not_owner` (someone other than the portfolio's person), `person_not_staff` (an external researcher);
- the period (`portfolio_create`, `portfolio_update`, on the field concerned): `required`; `period_reversed` (it
  ends before it starts); `period_in_future` (it ends more than a year after today: checked first, and a period
  refused so is not measured further — dates up to 31.12.9999 come from the form, and years added to them would
  leave the calendar); `period_too_long` (longer than MAX_YEARS years: a portfolio covers the years since the
  last attestation, five as a rule); `title_too_long`;
- the picks: `unknown_entry` (a key that is none of the portfolio's entries now — the page was stale, or the key
  made up);
- a document: `required` (title, file), `title_too_long`, `issued_in_future`, `too_many_documents` (more than
  MAX_DOCUMENTS), and the file's own codes from metodservice.common.uploads (`file_type`, `file_too_big`, …);
- `portfolio_submitted`: deleting the portfolio while an attestation case that is not withdrawn was submitted with
  it, or deleting a document such a case was submitted with (see below).

The picks: a new portfolio includes every entry it has then; an entry that appears later (a course confirmed
afterwards, a wider period) is listed but not included until the person picks it; a document the person uploads is
included at once. Saving the picks replaces those of the entries listed now and keeps the picks of entries out of
sight (out of the period, say), so that narrowing the period and widening it again loses no choice. An entry that
no longer exists or left the period is not printed.

The services lock and reread the portfolio; the picks they write are set on the instance given as well, so a caller
reading `portfolio_content(portfolio)` next sees them.

The portfolio submitted with an application: the case keeps its content frozen (AttestationCase.portfolio_snapshot:
titles, dates, the documents' keys), not the files. The files submitted must survive, so while a case that is not
withdrawn (submitted, or decided: the record of what the commission saw) links to the portfolio, the portfolio is
not deleted, nor the documents that case's snapshot lists (`portfolio_submitted`); the case's page serves those files
(attestation.views.cases). This was chosen over copying the files into the case at submission: one copy of each
file, one place it lives, and a refusal writes nothing. The live portfolio still changes (title, period, picks,
documents added, documents added since the submission deleted): the case prints its snapshot, never the live
portfolio. A withdrawn case releases the portfolio (its snapshot still prints; its file links answer 404 once the
files are gone). attestation.services.cases.category_submit locks the portfolio, as these deletions do, so the
two never cross. A deleted document's file, and the files of a deleted portfolio, are removed from storage once the
deletion commits.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metodservice.common import uploads
from metodservice.common.dates import add_years
from structure.models import Person

from ..models import Portfolio, PortfolioDocument
from ..selectors.portfolio import assemble, submitted_document_pks, submitting_cases

#: The longest period a portfolio covers.
MAX_YEARS = 6
#: How far past today a period may end (the current academic year, planned ahead).
FUTURE_YEARS = 1
#: The most documents one portfolio holds.
MAX_DOCUMENTS = 100
TITLE_LENGTH = 300


def default_title(start: datetime.date, end: datetime.date) -> str:
    """«Портфолио за 2021–2026 годы», «Портфолио за 2026 год»: the title is the portfolio's data, printed on its
    PDF, so it is written in the document's language (Russian), not the interface's."""
    if start.year == end.year:
        return f"Портфолио за {start.year} год"
    return f"Портфолио за {start.year}–{end.year} годы"


def _check_owner(person_id: int, by: Person) -> None:
    if by.pk != person_id:
        raise ValidationError(_("Only the portfolio's owner can change it."), code="not_owner")


def _years_later(day: datetime.date, years: int) -> datetime.date:
    """add_years, stopping at the calendar's end (31.12.9999) instead of overflowing."""
    try:
        return add_years(day, years)
    except (ValueError, OverflowError):
        return datetime.date.max if years > 0 else datetime.date.min


def _validated(
    title: str, start: datetime.date | None, end: datetime.date | None, *, today: datetime.date
) -> tuple[str, datetime.date, datetime.date]:
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    title = " ".join((title or "").split())
    if len(title) > TITLE_LENGTH:
        refuse(
            "title",
            _("The title is too long: at most %(limit)s characters.") % {"limit": TITLE_LENGTH},
            "title_too_long",
        )
    if start is None:
        refuse("period_start", _("Enter the first day of the period."), "required")
    if end is None:
        refuse("period_end", _("Enter the last day of the period."), "required")
    latest = _years_later(today, FUTURE_YEARS)
    in_future = end is not None and end > latest
    if in_future:
        refuse(
            "period_end",
            _("The period may end at most a year from today, on %(day)s.") % {"day": f"{latest:%d.%m.%Y}"},
            "period_in_future",
        )
    if start is not None and end is not None:
        if end < start:
            refuse("period_end", _("The period cannot end before it starts."), "period_reversed")
        elif not in_future and end >= _years_later(start, MAX_YEARS):
            refuse(
                "period_end",
                _("A portfolio covers at most %(years)s years: shorten the period.") % {"years": MAX_YEARS},
                "period_too_long",
            )
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None
    return title or default_title(start, end), start, end


@transaction.atomic
def portfolio_create(
    *,
    person: Person,
    by: Person,
    title: str = "",
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    today: datetime.date | None = None,
) -> Portfolio:
    """A new portfolio of `person` (by the person) for the period, every entry it has now included. A blank title
    becomes «Портфолио за 2021–2026 годы»."""
    today = today or timezone.localdate()
    _check_owner(person.pk, by)
    if person.is_external:
        raise ValidationError(_("Portfolios are kept for the college's staff only."), code="person_not_staff")
    title, start, end = _validated(title, period_start, period_end, today=today)
    portfolio = Portfolio(person=person, title=title, period_start=start, period_end=end, picks=[])
    portfolio.full_clean(exclude=["person"])
    portfolio.save()
    portfolio.picks = sorted(assemble(portfolio, today=today).keys)
    portfolio.save(update_fields=["picks"])
    return portfolio


def _locked(portfolio: Portfolio) -> Portfolio:
    return (
        Portfolio.objects.select_for_update(of=("self",))
        .select_related("person", "person__position")
        .get(pk=portfolio.pk)
    )


@transaction.atomic
def portfolio_update(
    *,
    portfolio: Portfolio,
    by: Person,
    title: str = "",
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    today: datetime.date | None = None,
) -> Portfolio:
    """Change the title and the period. The picks stay: entries the new period brings in are not included until
    picked."""
    today = today or timezone.localdate()
    given, portfolio = portfolio, _locked(portfolio)
    _check_owner(portfolio.person_id, by)
    portfolio.title, portfolio.period_start, portfolio.period_end = _validated(
        title, period_start, period_end, today=today
    )
    portfolio.full_clean(exclude=["person"])
    portfolio.save()
    given.title, given.period_start, given.period_end = portfolio.title, portfolio.period_start, portfolio.period_end
    return portfolio


@transaction.atomic
def picks_save(
    *, portfolio: Portfolio, by: Person, keys: Iterable[str], today: datetime.date | None = None
) -> Portfolio:
    """Include exactly `keys` among the entries the portfolio lists now (the others listed are left out); picks of
    entries not listed now are kept."""
    given, portfolio = portfolio, _locked(portfolio)
    _check_owner(portfolio.person_id, by)
    listed = assemble(portfolio, today=today).keys
    chosen = {str(key) for key in keys}
    unknown = sorted(chosen - listed)
    if unknown:
        raise ValidationError(
            _(
                "The portfolio has changed since the page was opened: «%(key)s» is not among its entries now. "
                "Open the portfolio again and make your choice."
            )
            % {"key": unknown[0][:40]},
            code="unknown_entry",
        )
    kept = {key for key in portfolio.picks or [] if key not in listed}
    portfolio.picks = given.picks = sorted(kept | chosen)
    portfolio.save(update_fields=["picks", "updated_at"])
    return portfolio


@transaction.atomic
def portfolio_delete(*, portfolio: Portfolio, by: Person) -> None:
    """Delete the portfolio with its documents (their files once the deletion commits); refused while a case that is
    not withdrawn was submitted with it (its files are what the case submitted)."""
    portfolio = _locked(portfolio)
    _check_owner(portfolio.person_id, by)
    case = submitting_cases(portfolio).order_by("pk").only("pk", "kind", "submitted_on").first()
    if case is not None:
        raise ValidationError(
            _(
                "The portfolio was submitted on %(day)s with an application (%(category)s): it stays, with its "
                "documents, while that case is not withdrawn. You may still change it: the case keeps what was "
                "submitted."
            )
            % {
                "day": f"{case.submitted_on:%d.%m.%Y}" if case.submitted_on else "—",
                "category": case.get_kind_display(),
            },
            code="portfolio_submitted",
        )
    files = [(document.file.storage, document.file.name) for document in portfolio.documents.all()]
    portfolio.delete()
    for storage, name in files:
        uploads.delete_on_commit(storage, name or "")


@transaction.atomic
def document_add(
    *,
    portfolio: Portfolio,
    by: Person,
    title: str,
    issued_on: datetime.date | None = None,
    file=None,
    today: datetime.date | None = None,
) -> PortfolioDocument:
    """Upload a document to the portfolio (checked by content: PDF, JPEG, PNG, DOCX, ODT, DOC, PPTX, ODP); it is
    included at once."""
    today = today or timezone.localdate()
    given, portfolio = portfolio, _locked(portfolio)
    _check_owner(portfolio.person_id, by)
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    title = " ".join((title or "").split())
    if not title:
        refuse("title", _("Enter the document's title."), "required")
    elif len(title) > TITLE_LENGTH:
        refuse(
            "title",
            _("The title is too long: at most %(limit)s characters.") % {"limit": TITLE_LENGTH},
            "title_too_long",
        )
    if issued_on is not None and issued_on > today:
        refuse("issued_on", _("The document's date cannot be later than today."), "issued_in_future")
    upload = None
    if not file:
        refuse("file", _("Choose the file to upload."), "required")
    else:
        try:
            upload = uploads.check_upload(file, uploads.PORTFOLIO_DOCUMENT)
        except ValidationError as error:
            errors.setdefault("file", []).append(error)
    if errors:
        raise ValidationError(errors)
    if portfolio.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(
            _("A portfolio holds at most %(limit)s documents.") % {"limit": MAX_DOCUMENTS}, code="too_many_documents"
        )
    assert upload is not None
    document = PortfolioDocument(portfolio=portfolio, title=title, issued_on=issued_on, uploaded_by=by)
    document.file = upload.stored_file()
    document._change_reason = (_("File uploaded: «%(name)s»") % {"name": upload.original_name})[:100]  # type: ignore[attr-defined]
    try:
        document.save()
    except Exception:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    portfolio.picks = given.picks = sorted({*(portfolio.picks or []), f"document:{document.pk}"})
    portfolio.save(update_fields=["picks", "updated_at"])
    return document


@transaction.atomic
def document_delete(*, document: PortfolioDocument, by: Person) -> None:
    """Delete a document of the portfolio; its file is removed once the deletion commits. Refused for a document an
    attestation case that is not withdrawn was submitted with."""
    given, portfolio = document.portfolio, _locked(document.portfolio)
    _check_owner(portfolio.person_id, by)
    document = PortfolioDocument.objects.select_for_update().get(pk=document.pk, portfolio=portfolio)
    if document.pk in submitted_document_pks(portfolio):
        raise ValidationError(
            _(
                "«%(title)s» was submitted with an application for a category: its file stays while the case is not "
                "withdrawn. Untick it if you no longer want it in this portfolio."
            )
            % {"title": document.title[:100]},
            code="portfolio_submitted",
        )
    storage, name = document.file.storage, document.file.name
    key = f"document:{document.pk}"
    document.delete()
    portfolio.picks = given.picks = [pick for pick in portfolio.picks or [] if pick != key]
    portfolio.save(update_fields=["picks", "updated_at"])
    uploads.delete_on_commit(storage, name or "")
