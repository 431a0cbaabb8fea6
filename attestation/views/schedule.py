"""The attestation schedule: for each teaching staff member the category held and until when, whether conformity
attestation is due and by when, or why not and until when; filtered by unit, position and status; as XLSX.

Computed on the day (timezone.localdate(), passed on explicitly) by attestation.schedule from the records that
attestation.selectors.schedule gathers; who sees whom is attestation.rules.schedule's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

import rules
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import require as _require
from metodservice.common.xlsx import xlsx_response
from structure.selectors import roles_of

from ..forms.schedule import ScheduleFilter
from ..selectors import schedule as selectors


def _filtered(request: HttpRequest, day: datetime.date) -> tuple[ScheduleFilter, list[selectors.ScheduleRow]]:
    """The filter as the request sets it and every row it leaves (before the status: for the counts)."""
    schedule_filter = ScheduleFilter(
        request.GET or None,
        queryset=selectors.schedule_people(roles_of(request.user), day),
        request=request,
        day=day,
    )
    return schedule_filter, selectors.schedule_rows(schedule_filter.qs, day, viewer=roles_of(request.user))


@require_GET
def schedule(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.view_schedule")
    day = timezone.localdate()
    schedule_filter, rows = _filtered(request, day)
    status = schedule_filter.chosen_status
    shown = [row for row in rows if row.matches(status)]
    counts = selectors.status_counts(rows)
    return render(
        request,
        "attestation/schedule/schedule.html",
        {
            "filter": schedule_filter,
            "page": _page(request, shown),
            "day": day,
            "status": status,
            "counts": [(key, label, counts[key]) for key, label in selectors.STATUS_LABELS.items()],
            "may_filter": rules.has_perm("attestation.filter_schedule", request.user),
        },
    )


def _date(day: datetime.date | None) -> datetime.date | str:
    return day if day is not None else ""


def _until(day: datetime.date | None, open_end: str) -> datetime.date | str:
    """A last day, or what its absence means («бессрочно», «пока длится отсутствие»)."""
    return day if day is not None else open_end


def _exemptions(row: selectors.ScheduleRow) -> str:
    return "; ".join(
        f"{line.label} — "
        + (_("until %(day)s") % {"day": f"{line.until:%d.%m.%Y}"} if line.until else str(line.open_end))
        for line in row.exemptions
    )


def schedule_headers() -> list[str]:
    return [
        _("Full name"),
        _("Position"),
        _("In the position since"),
        _("Category"),
        _("Category in force until"),
        _("Time to apply for the category"),
        _("Status"),
        _("Attest by"),
        _("Cycle counted from"),
        _("Grounds for exemption"),
        _("Exempt until"),
    ]


def schedule_table_rows(rows: Iterable[selectors.ScheduleRow]) -> Iterator[tuple]:
    """The rows as the page shows them, one line a person, dates as dates."""
    for row in rows:
        plan = row.schedule
        yield (
            row.person.full_name,
            row.person.position.name if row.person.position else "",
            _date(row.person.position_since),
            row.category_label,
            _until(plan.category_until, _("without end date")) if plan.category else "",
            _("yes") if row.apply_now else "",
            str(row.status_label),
            _date(plan.due_by),
            _date(plan.cycle_start),
            _exemptions(row),
            _until(plan.exempt_until, str(row.exemptions[0].open_end)) if plan.exemptions else "",
        )


@require_GET
def schedule_xlsx(request: HttpRequest) -> HttpResponse:
    """The list as filtered on the page: the same filter, the same query parameters, every page."""
    _require(request, "attestation.view_schedule")
    day = timezone.localdate()
    schedule_filter, rows = _filtered(request, day)
    shown = (row for row in rows if row.matches(schedule_filter.chosen_status))
    return xlsx_response(
        f"График_аттестации_{day:%d.%m.%Y}.xlsx",
        sheet_title=_("Attestation schedule"),
        headers=schedule_headers(),
        rows=schedule_table_rows(shown),
    )


urls: list[URLPattern] = [
    path("schedule/", schedule, name="schedule"),
    path("schedule/export/", schedule_xlsx, name="schedule_xlsx"),
]
