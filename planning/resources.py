"""The XLSX export of the decision register: its columns (metodservice.common.xlsx).

The export reads selectors.decisions_register() (joins applied), filtered as on the register's page, in chunks: one
query whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from metodservice.common.xlsx import Column, choice_label, in_chunks, table

from .models import Decision, DecisionStatus

#: A decision a row: the meeting (unit, No., date), the question, the decision, who, by when, its status and report.
DECISION_COLUMNS: list[Column[Decision]] = [
    Column(_("Unit"), lambda d: d.agenda_item.meeting.unit.name),
    Column(_("Meeting No."), lambda d: d.agenda_item.meeting.number),
    Column(_("Meeting date"), lambda d: d.agenda_item.meeting.date),
    Column(_("Question"), lambda d: d.agenda_item.title),
    Column(_("Decision"), lambda d: d.text),
    Column(_("Responsible"), lambda d: d.responsible.full_name),
    Column(_("Deadline"), lambda d: d.deadline),
    Column(_("Status"), choice_label("status", DecisionStatus)),
    Column(_("Report"), lambda d: d.report),
]


#: What the columns read: a meeting's signed protocol (its JSON snapshot) and the texts of its questions stay in the
#: database.
DECISION_FIELDS = (
    "text",
    "deadline",
    "status",
    "report",
    "agenda_item__title",
    "agenda_item__meeting__number",
    "agenda_item__meeting__date",
    "agenda_item__meeting__unit__name",
    "responsible__last_name",
    "responsible__first_name",
    "responsible__patronymic",
)


def decisions_table(decisions: QuerySet[Decision]) -> tuple[list[str], Iterator[tuple]]:
    """The register's rows (selectors.decisions_register(), filtered as on its page): one query."""
    return table(DECISION_COLUMNS, in_chunks(decisions.only(*DECISION_FIELDS)))
