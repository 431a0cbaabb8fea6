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


def _filter(request: HttpRequest, day: datetime.date) -> ScheduleFilter:
    return ScheduleFilter(
        request.GET or None,
        queryset=selectors.schedule_people(roles_of(request.user), day),
        request=request,
        day=day,
    )


@require_GET
def schedule(request: HttpRequest) -> HttpResponse:
    """Everyone's status is worked out by the database (selectors.status_list) for the counts and the status
    filter; only the page's people have their records read and their schedule worked out in full."""
    _require(request, "attestation.view_schedule")
    day = timezone.localdate()
    schedule_filter = _filter(request, day)
    status = schedule_filter.chosen_status
    listing = selectors.status_list(schedule_filter.qs, day, status)
    counts = listing.counts
    page = _page(request, listing.pks)
    page.object_list = selectors.schedule_rows_of(list(page), day, viewer=roles_of(request.user))
    return render(
        request,
        "attestation/schedule/schedule.html",
        {
            "filter": schedule_filter,
            "page": page,
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


def _exemptions(row: selectors.ScheduleRow, words: _Words, until: str) -> str:
    return "; ".join(
        f"{words.text(line.label)} — "
        + (until % {"day": f"{line.until:%d.%m.%Y}"} if line.until else words.text(line.open_end))
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


class _Words(dict):
    """The texts of the cells, each label translated once for the whole sheet: a label is a lazy translation held
    by the selectors' tables (kept by its identity: hashing a lazy text would translate it every time)."""

    def text(self, label) -> str:
        if isinstance(label, str):
            return label
        found = self.get(id(label))
        if found is None:
            self[id(label)] = found = str(label)
        return found


def schedule_table_rows(rows: Iterable[selectors.ScheduleRow]) -> Iterator[tuple]:
    """The rows as the page shows them, one line a person, dates as dates."""
    words = _Words()
    until, without_end, yes = _("until %(day)s"), _("without end date"), _("yes")
    for row in rows:
        plan = row.schedule
        exemptions = row.exemptions if plan.exemptions else []
        yield (
            row.person.full_name,
            row.person.position.name if row.person.position else "",
            _date(row.person.position_since),
            row.category_label,
            _until(plan.category_until, without_end) if plan.category else "",
            yes if row.apply_now else "",
            words.text(row.status_label),
            _date(plan.due_by),
            _date(plan.cycle_start),
            _exemptions(row, words, until) if exemptions else "",
            _until(plan.exempt_until, words.text(exemptions[0].open_end)) if exemptions else "",
        )


@require_GET
def schedule_xlsx(request: HttpRequest) -> HttpResponse:
    """The list as filtered on the page: the same filter, the same query parameters, every page."""
    _require(request, "attestation.view_schedule")
    day = timezone.localdate()
    schedule_filter = _filter(request, day)
    rows = selectors.schedule_rows(schedule_filter.qs, day, viewer=roles_of(request.user))
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
