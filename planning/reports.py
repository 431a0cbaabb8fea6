"""Documents of planning/: the plans (service, unit, individual) and the meeting protocol as PDF, a plan as XLSX
(the decision register's XLSX columns are in planning/resources.py).

Every document costs a fixed number of queries whatever the number of items, attendees or decisions: the data
comes from the selectors' querysets with their joins and prefetches (planning/selectors/documents.py).
Document text (УТВЕРЖДАЮ, ПРОТОКОЛ, СЛУШАЛИ …) is in the templates reports/plan.html, reports/individual_plan.html
and reports/protocol.html; the XLSX column headers are UI strings (gettext), as in the structure exports.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from metodservice.common.agreement import agree
from metodservice.common.pdf import render_pdf
from metodservice.common.periods import format_period
from metodservice.common.xlsx import xlsx_bytes
from structure.models import Person, short_form, signature_form

from . import selectors, signing
from .models import (
    Meeting,
    MeetingStatus,
    Plan,
    PlanItem,
    PlanLevel,
    PlanStatus,
    WorkDirection,
)
from .selectors import approvers_of

#: A plan being amended: its content is a draft of changes to an approved version.
AMENDMENT_STATUSES = {PlanStatus.AMENDING, PlanStatus.AMENDMENT_SUBMITTED}

# ---------------------------------------------------------------- plans


@dataclass(frozen=True)
class ItemRow:
    """A line of a plan's table: its number in the document, the dates and the responsible people as printed."""

    number: str
    item: PlanItem
    dates: str
    responsible: str


@dataclass(frozen=True)
class Section:
    """The items of one work direction: a sub-heading row and its lines, numbered «code.k»."""

    direction: WorkDirection
    rows: list[ItemRow]


def item_dates(item: PlanItem) -> str:
    """«Сроки» as the plan says them: the period text, else «from – to», else the deadline (a one-day period is
    one date: «12.10.2026», never «12.10.2026 – 12.10.2026»)."""
    if item.period:
        return item.period
    return format_period(item.start_date or item.due_date, item.due_date)


def _approved_version(plan: Plan):
    """The version in force of an approved plan (remembered on the plan; one query unless its versions were read
    with it); None otherwise."""
    if plan.status != PlanStatus.APPROVED:
        return None
    if not hasattr(plan, "_approved_version"):
        if "versions" in getattr(plan, "_prefetched_objects_cache", {}):  # selectors.plan_detail read them
            plan._approved_version = max(plan.versions.all(), key=lambda version: version.number, default=None)
        else:
            plan._approved_version = plan.versions.select_related("approved_by").order_by("-number").first()
    return plan._approved_version


def _frozen_responsible(plan: Plan) -> dict[int, str]:
    """For an approved plan, the responsible people of each item (by position) as approved, from the latest
    version: an approved plan prints the names it was approved with, never live ones. One query."""
    version = _approved_version(plan)
    if version is None:
        return {}
    return {
        row["position"]: ", ".join(short_form(name) for name in row["responsible"])
        for row in version.snapshot.get("items", [])
    }


def plan_rows(plan: Plan) -> tuple[list[Section], list[ItemRow]]:
    """The plan's items as printed. Service and unit plans: grouped by direction (1–10), numbered «code.k»
    within a direction; individual plans: one list in the plan's order, numbered by position. The execution
    marks are live (they are marks on the plan); what was approved is printed as approved."""
    frozen = _frozen_responsible(plan)

    def _row(number: str, item: PlanItem) -> ItemRow:
        # item.responsible comes prefetched (plan_detail), ordered by name.
        responsible = frozen.get(item.position)
        if responsible is None:
            responsible = ", ".join(person.short_name for person in item.responsible.all())
        return ItemRow(number=number, item=item, dates=item_dates(item), responsible=responsible)

    items = list(plan.items.all())
    if plan.level == PlanLevel.INDIVIDUAL:
        return [], [_row(str(item.position), item) for item in items]
    grouped: dict[int, list[PlanItem]] = {}
    directions: dict[int, WorkDirection] = {}
    for item in items:
        grouped.setdefault(item.direction.code, []).append(item)
        directions[item.direction.code] = item.direction
    sections = []
    for code in sorted(grouped):
        rows = [_row(f"{code}.{k}", item) for k, item in enumerate(grouped[code], start=1)]
        sections.append(Section(direction=directions[code], rows=rows))
    return sections, [row for section in sections for row in section.rows]


def _document_day(plan: Plan) -> datetime.date:
    """The date the document speaks of: the approval's for an approved plan, else today."""
    if plan.status == PlanStatus.APPROVED and plan.approved_at:
        return timezone.localdate(plan.approved_at)
    return timezone.localdate()


def _load_plan(plan: Plan) -> Plan:
    return selectors.plan_document(plan.pk, _document_day(plan)).get()


def _future_approver(plan: Plan) -> tuple[Person | None, str]:
    """Who approves a plan that is not approved yet, named on the draft when exactly one person does today, and
    the title they approve with (selectors.approver_title: from the structure, the same for any of several
    candidates of one link, so printed even when the name is not)."""
    candidates = sorted(approvers_of(plan))
    if not candidates:
        return None, ""
    first = Person.objects.select_related("position").get(pk=candidates[0])
    title = selectors.approver_title(plan, first, timezone.localdate())
    return (first if len(candidates) == 1 else None), title


#: Lower-case letters of Russian consonants: a noun ending in one takes «-а» in the genitive.
_CONSONANTS = set("бвгджзклмнпрстфхцчшщ")


def _noun_genitive(word: str) -> str | None:
    """A masculine noun of a position in the genitive (мастер → мастера, преподаватель → преподавателя,
    педагог-психолог → педагога-психолога); None for an ending these rules do not know."""
    parts = []
    for part in word.split("-"):
        last = part[-1:].lower()
        if last in _CONSONANTS:
            parts.append(part + "а")
        elif last in {"ь", "й"}:
            parts.append(part[:-1] + "я")
        else:
            return None
    return "-".join(parts)


def _adjective_genitive(word: str) -> str | None:
    """старший → старшего, социальный → социального, заведующий → заведующего; None if not an adjective."""
    lower = word.lower()
    if lower.endswith(("ый", "ой")) or lower.endswith(("кий", "гий", "хий")):
        return word[:-2] + "ого"
    if lower.endswith("ий"):
        return word[:-2] + "его"
    return None


def position_genitive(name: str) -> str:
    """A position in the genitive, lower case, as in «индивидуальный план … мастера производственного обучения»:
    the leading adjectives and the head noun decline, the words after the noun are already oblique and stay
    («заместителя директора по учебно-методической работе», «заведующего отделением»). "" when the name does not
    follow these rules (the document then names the position in the nominative only)."""
    words = name.split()
    declined: list[str] = []
    index = 0
    while index < len(words):
        adjective = _adjective_genitive(words[index])
        if adjective is None:
            break
        declined.append(adjective)
        index += 1
        if (
            words[index - 1].lower().endswith(("ющий", "ящий", "ущий", "ащий"))
        ):  # заведующий: the participle is the noun
            return _lower_first(" ".join([*declined, *words[index:]]))
    if index >= len(words):
        return ""
    noun = _noun_genitive(words[index])
    if noun is None:
        return ""
    return _lower_first(" ".join([*declined, noun, *words[index + 1 :]]))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _consideration(plan: Plan, version) -> str:
    """«на заседании <unit>, протокол № … от …» (after «РАССМОТРЕНО»): as frozen in the approved version, else the
    latest signed protocol's question about the plan; "" when the plan was not considered."""
    considered = version.snapshot.get("considered") if version is not None else selectors.plan_consideration(plan)
    if not considered:
        return ""
    day = datetime.date.fromisoformat(considered["date"])
    unit = selectors.unit_genitive(considered["kind"], considered["unit"])
    return f"на заседании {unit}, протокол № {considered['number']} от {day:%d.%m.%Y}"


def plan_context(plan: Plan) -> dict:
    """The context of reports/plan.html and reports/individual_plan.html for a plan loaded by plan_document."""
    approved = plan.status == PlanStatus.APPROVED
    version = _approved_version(plan)
    approver, future_title = (None, "") if approved else _future_approver(plan)
    approver_position = plan.approved_by_position if approved else future_title
    if version is not None:  # printed as approved, not read live
        approver_signature = signature_form(version.approved_by_name)
    else:
        approver_signature = approver.signature_name if approver else ""
    theme = plan.theme
    stage = None
    if theme is not None:
        stage = next((s for s in theme.stages.all() if s.year_id == plan.year_id), None)
    goal, tasks = plan.goal, plan.task_list
    if plan.level == PlanLevel.SERVICE and theme is not None:
        # The service's plan works on the single theme: its goal and tasks unless the plan states its own.
        goal, tasks = goal or theme.goal, tasks or theme.task_list
    sections, rows = plan_rows(plan)
    day = _document_day(plan)
    context = {
        "plan": plan,
        "year": plan.year,
        "unit_name": getattr(plan, "unit_name_on_day", None) or (plan.unit.name if plan.unit_id else ""),
        "is_approved": approved,
        "approved_version": version,  # its SHA-256 is in the QR code of an approved plan
        "is_amendment": plan.status in AMENDMENT_STATUSES,
        "approver": approver,
        "approver_signature": approver_signature,
        "approver_position": approver_position,
        "theme": theme,
        "stage": stage,
        "goal": goal,
        "tasks": tasks,
        "sections": sections,
        "rows": rows,
        "college_name": settings.COLLEGE_NAME,
        "college_city": settings.COLLEGE_CITY,
        "day": day,
        "considered": _consideration(plan, version),
    }
    if plan.level == PlanLevel.INDIVIDUAL:
        context["associations"] = selectors.associations_of(plan.person, day)
        # The teacher as approved (frozen in the version since issue 8), else as today.
        frozen = version.snapshot.get("person") if version is not None else None
        person = plan.person
        name = frozen["name"] if frozen else person.full_name
        position = frozen["position"] if frozen else (person.position.name if person.position else "")
        # Category and last professional development: as frozen at approval (a version approved before they were
        # printed froze none, and prints «—» as it did), else from the apps above planning as of the document's day.
        facts = frozen if frozen else selectors.person_facts(person, day)
        context |= {
            "person_category": facts.get("category", ""),
            "person_last_training": facts.get("last_training", ""),
            "person_name": name,
            "person_signature": signature_form(name),
            "person_position": position,
            "position_genitive": position_genitive(position),
        }
    return context


def plan_template(plan: Plan) -> str:
    return "reports/individual_plan.html" if plan.level == PlanLevel.INDIVIDUAL else "reports/plan.html"


def plan_document_context(plan: Plan) -> dict:
    """What a plan's PDF prints: a fixed number of queries whatever the number of items."""
    return plan_context(_load_plan(plan))


def plan_pdf(plan: Plan) -> bytes:
    """A plan as PDF, rendered here (by the worker that stores an approved version's PDF, or a command)."""
    return render_pdf(plan_template(plan), plan_document_context(plan))


def _name_part(text: str) -> str:
    """A piece of a file name: no quotes, spaces as underscores."""
    return re.sub(r"\s+", "_", re.sub(r"[«»\"'/\\:*?<>|]+", "", text).strip())


def plan_filename(plan: Plan, extension: str) -> str:
    """«План_2026-2027.pdf», «План_ПЦК_общепрофессиональных_дисциплин_2026-2027.xlsx»,
    «Индивидуальный_план_Иванова_И.И._2026-2027.pdf»."""
    year = plan.year.title.replace("/", "-")
    if plan.level == PlanLevel.UNIT and plan.unit_id:
        stem = f"План_{_name_part(plan.unit.name)}_{year}"
    elif plan.level == PlanLevel.INDIVIDUAL and plan.person_id:
        stem = f"Индивидуальный_план_{_name_part(plan.person.short_name)}_{year}"
    else:
        stem = f"План_{year}"
    return f"{stem}.{extension}"


def _plan_status_line(plan: Plan) -> str:
    version = _approved_version(plan)
    if version is not None:
        # «утвердил» / «утвердила» agrees with the approver (the frozen name is printed, the person tells the gender).
        text = agree(
            version.approved_by.grammatical_gender,
            masculine=pgettext("masculine", "Status: approved on %(date)s by %(name)s"),
            feminine=pgettext("feminine", "Status: approved on %(date)s by %(name)s"),
            neutral=gettext("Status: approved on %(date)s by %(name)s"),
        )
        return text % {
            "date": f"{timezone.localdate(version.approved_at):%d.%m.%Y}",
            "name": short_form(version.approved_by_name),
        }
    return gettext("Status: %(status)s (not approved)") % {"status": plan.get_status_display()}


def _plan_table_rows(plan: Plan):
    _sections, rows = plan_rows(plan)
    for row in rows:
        item = row.item
        yield (
            row.number,
            item.content,
            str(item.direction),
            row.dates,
            item.due_date,
            row.responsible,
            item.expected_result,
            item.get_status_display(),
            item.report,
        )


def plan_table(plan: Plan) -> dict:
    """The plan as an XLSX table (metodservice.common.xlsx): title lines (plan, year, theme, status) above the
    table, the same lines and numbers as the PDF with the direction in a column of its own. Fixed number of
    queries."""
    plan = _load_plan(plan)
    lines = [str(plan)]
    if plan.level == PlanLevel.INDIVIDUAL and plan.self_education_theme:
        lines.append(gettext("Self-education theme: %(theme)s") % {"theme": plan.self_education_theme})
    if plan.theme is not None:
        lines.append(gettext("Single methodological theme: %(theme)s") % {"theme": plan.theme.title})
    lines.append(_plan_status_line(plan))
    headers = [
        gettext("No."),
        gettext("Content of the work"),
        gettext("Direction"),
        gettext("Dates"),
        gettext("Deadline"),
        gettext("Responsible"),
        gettext("Form of the result"),
        gettext("Execution"),
        gettext("Report"),
    ]
    return {
        "sheet_title": plan.year.title,
        "title_lines": lines,
        "headers": headers,
        "rows": _plan_table_rows(plan),
    }


def plan_xlsx(plan: Plan) -> bytes:
    """The plan as an XLSX file in memory (a command, tests); the view streams plan_table."""
    return xlsx_bytes(**plan_table(plan))


# ---------------------------------------------------------------- protocol


def protocol_context(meeting: Meeting) -> dict:
    """The context of reports/protocol.html for a meeting loaded by protocol_document: once signed by anyone, the
    frozen snapshot (never live names), with the result of checking its hash; before that, the live content."""
    content = meeting.snapshot if meeting.snapshot is not None else signing.protocol_content(meeting)
    return {
        "meeting": meeting,
        "p": content,
        "date": datetime.date.fromisoformat(content["date"]),
        "is_signed": meeting.status == MeetingStatus.SIGNED,
        "verification": signing.protocol_verification(meeting),
    }


PROTOCOL_TEMPLATE = "reports/protocol.html"


def protocol_document_context(meeting: Meeting) -> dict:
    """What the protocol's PDF prints: a fixed number of queries whatever the number of attendees, items and
    decisions."""
    return protocol_context(selectors.protocol_document(meeting.pk).get())


def protocol_pdf(meeting: Meeting) -> bytes:
    """The protocol as PDF, rendered here (a command, the demo, tests)."""
    return render_pdf(PROTOCOL_TEMPLATE, protocol_document_context(meeting))


def protocol_filename(meeting: Meeting) -> str:
    """«Протокол_3_ПЦК_общепрофессиональных_дисциплин_05.11.2026.pdf»."""
    return f"Протокол_{meeting.number}_{_name_part(meeting.unit.name)}_{meeting.date:%d.%m.%Y}.pdf"


# ---------------------------------------------------------------- the decision register


def decisions_filename(day: datetime.date | None = None) -> str:
    """«Реестр_решений_25.11.2026.xlsx»."""
    return f"Реестр_решений_{day or timezone.localdate():%d.%m.%Y}.xlsx"
