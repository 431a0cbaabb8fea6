"""Writes of the annual report: what the deputy writes by hand and which sections it has; freezing it «as of» a day
for a council's meeting (the printed HTML and its SHA-256 kept, the PDF laid out once in the background)."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from metodservice.common.documents import store_on_commit
from planning.models import AcademicYear, AgendaItem, MeetingStatus
from structure.models import Person

from . import sections as report_sections
from .models import AnnualReport, FrozenReport
from .tasks import store_frozen_pdf

#: The longest conclusions and list of tasks a report takes (characters each).
TEXT_MAX_LENGTH = 20_000


def report_of(year: AcademicYear) -> AnnualReport:
    """The year's report, or an unsaved one (every section on, nothing written) until someone writes in it."""
    return AnnualReport.objects.filter(year=year).select_related("year", "updated_by").first() or AnnualReport(
        year=year
    )


def sections_on(report: AnnualReport) -> list[str]:
    return [key for key in report_sections.KEYS if key not in (report.sections_off or [])]


@transaction.atomic
def report_save(*, year: AcademicYear, by: Person, sections: list[str], conclusions: str, tasks: str) -> AnnualReport:
    """Keep which sections the report has and the texts written by hand. At least one section stays."""
    unknown = set(sections) - set(report_sections.KEYS)
    if unknown:
        raise ValidationError(_("Unknown sections: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}, code="section")
    if not sections:
        raise ValidationError(_("Keep at least one section of the report."), code="no_sections")
    for text in (conclusions, tasks):
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError(
                _("A text of the report may hold at most %(n)s characters.") % {"n": TEXT_MAX_LENGTH}, code="too_long"
            )
    report = AnnualReport.objects.select_for_update().filter(year=year).first() or AnnualReport(year=year)
    report.sections_off = [key for key in report_sections.KEYS if key not in sections]
    report.conclusions = conclusions.strip()
    report.tasks = tasks.strip()
    report.updated_by = by
    report.save()
    return report


def document_context(
    report: AnnualReport, day: datetime.date, keys: list[str] | None = None, *, kept: bool = False
) -> dict:
    """What the printed report (and the page) shows of `report` as of `day`. `kept`: the figures may come from the
    last minute's count (report_sections.compute_kept: the live page and its PDF), with `counted_at`; a frozen
    copy counts afresh."""
    keys = sections_on(report) if keys is None else keys
    if kept:
        computed, counted_at = report_sections.compute_kept(report.year, day, keys)
    else:
        computed, counted_at = report_sections.compute(report.year, day, keys), timezone.now()
    return {
        "report": report,
        "year": report.year,
        "day": day,
        "counted_at": counted_at,
        "computed": computed,
        "tasks": [line.strip() for line in report.tasks.splitlines() if line.strip()],
        "college": settings.COLLEGE_NAME,
    }


def freezable_questions(year: AcademicYear):
    """The questions a report may be presented at: those of the year's meetings whose protocol is not signed yet."""
    return (
        AgendaItem.objects.filter(meeting__year=year)
        .exclude(meeting__status=MeetingStatus.SIGNED)
        .select_related("meeting__unit")
        .order_by("meeting__date", "meeting__pk", "position", "pk")
    )


@transaction.atomic
def report_freeze(
    *, year: AcademicYear, by: Person, as_of: datetime.date, agenda_item: AgendaItem | None = None
) -> FrozenReport:
    """Freeze the year's report as of `as_of`: its printed HTML is rendered now and kept with its SHA-256; the PDF is
    laid out once from it after the commit (reports.tasks) and kept with its own. What the data says later changes
    nothing of it. The day lies in the year and not ahead; a meeting's question must be of a meeting whose protocol
    is not signed, held on or after the day."""
    today = timezone.localdate()
    if as_of > today:
        raise ValidationError(_("A report cannot be frozen as of a day still ahead."), code="future")
    if not year.start <= as_of <= year.end:
        raise ValidationError(
            _("The day must lie in the academic year %(year)s.") % {"year": year.title}, code="outside_year"
        )
    if agenda_item is not None:
        meeting = agenda_item.meeting
        if meeting.status == MeetingStatus.SIGNED:
            raise ValidationError(
                _("The protocol of that meeting is signed: choose a question of a meeting still to be held."),
                code="meeting_signed",
            )
        if meeting.date < as_of:
            raise ValidationError(
                _("The meeting is on %(date)s, before the day of the report.") % {"date": f"{meeting.date:%d.%m.%Y}"},
                code="after_meeting",
            )
    report = AnnualReport.objects.select_for_update().filter(year=year).first()
    if report is None:
        report = AnnualReport.objects.create(year=year, updated_by=by)
    keys = sections_on(report)
    frozen_at = timezone.now()
    by_name = f"{by.short_name}, {by.position.name}" if by.position else by.short_name
    context = document_context(report, as_of, keys) | {"frozen": {"at": frozen_at, "by": by_name}}
    html = render_to_string("reports/annual/print.html", context)
    frozen = FrozenReport.objects.create(
        report=report,
        as_of=as_of,
        frozen_at=frozen_at,
        frozen_by=by,
        frozen_by_name=by_name,
        agenda_item=agenda_item,
        sections=keys,
        html=html,
        content_sha256=hashlib.sha256(html.encode()).hexdigest(),
    )
    store_on_commit(store_frozen_pdf, frozen.pk)
    return frozen


def guard_agenda_item(question: AgendaItem, changes: dict | None) -> None:
    """planning's agenda_delete on a question a frozen report was presented at: refused (`frozen_report`), the
    protocol keeps the link to what the council was shown."""
    if changes is None and FrozenReport.objects.filter(agenda_item_id=question.pk).exists():
        raise ValidationError(
            _("Question No. %(number)s presents a frozen annual report: it stays on the agenda.")
            % {"number": question.position},
            code="frozen_report",
        )
