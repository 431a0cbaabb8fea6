"""Reads of attestation/: the self-assembling portfolio.

Contract used by the category cases (attestation.services.cases freezes the portfolio at submission):
`portfolio_content(portfolio)` returns a JSON-serialisable dict of what the portfolio prints (only the entries the
person picked); `attestation.documents.portfolio_pdf(content)` renders such a dict as a PDF.

A portfolio gathers, for its person and period, what the portal already holds — one *section* per source, each
read by one function (`SECTIONS`, in the order printed):

- `training`: the CONFIRMED professional development records whose dates overlap the period, with the hours;
- `plan_items`: the items of approved plans done, the person among the responsible, due within the period
  (planning.selectors.portfolio);
- `experience`: the person's published experience items (author or co-author) dated in the period — open lessons,
  master classes, talks, publications, materials, contests, generalised experience — with their level, the council's
  recommendation and their dissemination (visits, adoptions, references); and the lessons colleagues visited and
  observed in the period (experience/);
- `diagnostics`: the person's diagnostics profiles of the campaigns whose windows lie inside the period (the
  experts' median per competency and the change since the previous campaign);
- `attestation`: the qualification categories in force at some time in the period, and the attestations decided
  in it (a granted category's case is its category's entry, not a second one);
- `documents`: the files uploaded to the portfolio, whatever their date.

A later capability adds its reader by replacing its section's `read` (`SECTIONS[…] = replace(spec, read=…)` or by
editing the list): a reader takes the portfolio (person and period loaded) and returns its `Entry`s, in one query.

Each entry has a stable key («training:12», «plan_item:7», «category:3», «case:5», «document:9»); `Portfolio.picks`
lists the keys the person included. The content prints the picked entries that still exist and still fall in the
period; the page lists every entry, picked or not, and counts the picks that no longer match anything.

The texts of the content are the document's (Russian, as attestation.selectors.records writes them), not the
interface's: a frozen copy prints the same whatever the language of whoever opens it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F
from django.utils import timezone

from metodservice.common.periods import format_period
from planning.models import PlanLevel
from planning.selectors.portfolio import items_done_by
from structure.models import Membership

from ..models import (
    AttestationCase,
    CaseDecision,
    CaseStatus,
    Category,
    Portfolio,
    PortfolioDocument,
    TrainingRecord,
    TrainingStatus,
)
from .records import CATEGORY_WORDS, TRAINING_WORDS, category_record, category_text

#: The version of the content's layout, for whoever reads a frozen copy later.
CONTENT_VERSION = 1


@dataclass(frozen=True)
class Entry:
    """One thing the portfolio may print. `start`/`end` are its dates (one date: both the same, or `end` None);
    `details` the lines under its title; `hours` for professional development; `url` its page on the portal (the
    page links it; never printed or frozen)."""

    key: str
    title: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    details: tuple[str, ...] = ()
    hours: int | None = None
    url: str = ""

    @property
    def dates(self) -> str:
        return format_period(self.start, self.end or self.start)

    def as_dict(self) -> dict:
        last = self.end or self.start
        data: dict = {
            "key": self.key,
            "title": self.title,
            "dates": self.dates,
            "start": self.start.isoformat() if self.start else None,
            "end": last.isoformat() if last else None,
            "details": list(self.details),
        }
        if self.hours is not None:
            data["hours"] = self.hours
        return data


Reader = Callable[["Sources"], list[Entry]]


@dataclass(frozen=True)
class SectionSpec:
    """A section of the portfolio: its key, the title the document prints, and the function that reads it."""

    key: str
    title: str
    read: Reader


@dataclass
class Sources:
    """What the readers share for one portfolio: the portfolio (its person loaded), the day the content is read on,
    and rows more than one reader needs (the person's categories)."""

    portfolio: Portfolio
    today: datetime.date
    _categories: list[Category] | None = None

    @property
    def person(self):
        return self.portfolio.person

    @property
    def start(self) -> datetime.date:
        return self.portfolio.period_start

    @property
    def end(self) -> datetime.date:
        return self.portfolio.period_end

    @property
    def categories(self) -> list[Category]:
        """Every category recorded for the person, the latest first: one query, once."""
        if self._categories is None:
            self._categories = list(Category.objects.filter(person=self.person).order_by("-set_on", "-pk"))
        return self._categories


# ---------------------------------------------------------------- the readers


def read_training(sources: Sources) -> list[Entry]:
    records = TrainingRecord.objects.filter(
        person=sources.person, status=TrainingStatus.CONFIRMED, start__lte=sources.end, end__gte=sources.start
    ).order_by("start", "pk")
    entries = []
    for record in records:
        document = record.get_document_kind_display()
        if record.document_number:
            document = f"{document} № {record.document_number}"
        details = (
            f"{TRAINING_WORDS.get(record.kind, record.kind)}, {record.hours} ч",
            record.provider,
            document,
        )
        entries.append(
            Entry(
                key=f"training:{record.pk}",
                title=record.programme,
                start=record.start,
                end=record.end,
                details=details,
                hours=record.hours,
                url=record.get_absolute_url(),
            )
        )
    return entries


#: How long a plan item's report may print (a short report; the plan holds the whole).
REPORT_CHARS = 300


def _plan_name(plan) -> str:
    if plan.level == PlanLevel.UNIT and plan.unit_id:
        name = f"План «{plan.unit.name}»"
    elif plan.level == PlanLevel.INDIVIDUAL:
        name = "Индивидуальный план"
    else:
        name = "План методической службы"
    return f"{name} на {plan.year.title} учебный год"


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def read_plan_items(sources: Sources) -> list[Entry]:
    entries = []
    for item in items_done_by(sources.person, sources.start, sources.end):
        details = [_plan_name(item.plan), f"Направление: {item.direction}", f"Форма: {item.get_form_display()}"]
        if item.report.strip():
            details.append(f"Отчёт: {_shortened(item.report, REPORT_CHARS)}")
        entries.append(
            Entry(
                key=f"plan_item:{item.pk}",
                title=_shortened(item.content, 500),
                start=item.start_date or item.due_date,
                end=item.due_date,
                details=tuple(details),
                url=item.get_absolute_url(),
            )
        )
    return entries


#: The document's words for experience (Russian whatever the interface's language: a frozen copy prints the same).
EXPERIENCE_KINDS = {
    "open_lesson": "открытый урок",
    "master_class": "мастер-класс",
    "talk": "выступление на конференции, семинаре",
    "publication": "публикация",
    "programme": "методическая разработка: программа",
    "guide": "методическая разработка: пособие, рекомендации",
    "assessment_fund": "методическая разработка: фонд оценочных средств",
    "case": "методическая разработка: кейс",
    "contest": "профессиональный конкурс",
    "generalised": "обобщённый опыт",
}
EXPERIENCE_LEVELS = {
    "college": "уровень колледжа",
    "municipal": "муниципальный уровень",
    "regional": "региональный уровень",
    "federal": "федеральный уровень",
    "international": "международный уровень",
}


def read_experience(sources: Sources) -> list[Entry]:
    """The person's published experience items dated in the period («experience:<item>»), with kind, level,
    co-authors, the council's recommendation and the dissemination counts; then the visits colleagues made to the
    person's lessons in the period with the observation filled («visit:<visit>»). Three queries."""
    from django.db.models import Prefetch, Q

    from experience.models import AdoptionKind, ExperienceItem, ItemStatus, LessonVisit, VisitStatus
    from structure.models import Person

    person = sources.person
    items = (
        ExperienceItem.objects.filter(
            Q(author=person) | Q(co_authors=person),
            status=ItemStatus.PUBLISHED,
            is_external=False,
            date__gte=sources.start,
            date__lte=sources.end,
        )
        .distinct()
        .select_related("council_question__meeting")
        .prefetch_related(Prefetch("co_authors", queryset=Person.objects.order_by("last_name", "first_name")))
        .annotate(
            visits_done=Count("visits", filter=Q(visits__status=VisitStatus.DONE), distinct=True),
            adopted=Count("adoptions", filter=Q(adoptions__kind=AdoptionKind.ADOPTED), distinct=True),
            referenced=Count("adoptions", filter=Q(adoptions__kind=AdoptionKind.REFERENCED), distinct=True),
        )
        .order_by("date", "pk")
    )
    entries = []
    for item in items:
        details = [
            f"{EXPERIENCE_KINDS.get(item.kind, item.kind).capitalize()}, {EXPERIENCE_LEVELS.get(item.level, item.level)}"
        ]
        if item.topic and item.topic != item.title:
            details.append(f"Тема: {_shortened(item.topic, 300)}")
        others = [p.short_name for p in item.co_authors.all() if p.pk != person.pk]
        if item.author_id != person.pk:
            details.append("Соавтор")
        if others:
            details.append("Соавторы: " + ", ".join(others))
        question = item.council_question
        if question is not None and question.meeting.content_hash:
            meeting = question.meeting
            details.append(
                f"Рекомендовано методическим советом: протокол № {meeting.number} от {meeting.date:%d.%m.%Y}"
            )
        spread = [
            f"посещений {item.visits_done}" if item.visits_done else "",
            f"внедрений {item.adopted}" if item.adopted else "",
            f"ссылок {item.referenced}" if item.referenced else "",
        ]
        if any(spread):
            details.append("Распространение: " + ", ".join(part for part in spread if part))
        entries.append(
            Entry(
                key=f"experience:{item.pk}",
                title=item.title,
                start=item.date,
                details=tuple(details),
                url=item.get_absolute_url(),
            )
        )
    visits = (
        LessonVisit.objects.filter(
            visited=person, status=VisitStatus.DONE, date__gte=sources.start, date__lte=sources.end
        )
        .select_related("visitor")
        .order_by("date", "pk")
    )
    for visit in visits:
        details = [f"Посетил(а): {visit.visitor.full_name}"]
        if visit.group:
            details.append(f"Группа: {visit.group}")
        if visit.worked.strip():
            details.append(f"Что удалось: {_shortened(visit.worked, REPORT_CHARS)}")
        entries.append(
            Entry(
                key=f"visit:{visit.pk}",
                title=f"Посещение занятия коллегой: {_shortened(visit.lesson, 300)}",
                start=visit.date,
                details=tuple(details),
                url=visit.get_absolute_url(),
            )
        )
    return entries


def _level(value: float) -> str:
    """A median as a document prints it: «2», «1,5»."""
    return f"{value:g}".replace(".", ",")


def read_diagnostics(sources: Sources) -> list[Entry]:
    """The person's diagnostics profiles: one entry per campaign whose window lies inside the period and that has
    submitted expert assessments of the person («diagnostics:<participant pk>»); a line per assessed competency with
    the experts' median (the level's name when whole) and the change since the person's latest earlier campaign
    with that competency. Submitted expert assessments only, of campaigns closed or where the person's
    self-assessment is in (the experts' levels are withheld from the person until then:
    attestation.selectors.results.experts_withheld); one query."""
    from django.db.models import Exists, OuterRef, Q

    from .. import diagnostics
    from ..models import Assessment, AssessmentKind, AssessmentStatus, CampaignStatus, Score

    self_submitted = Assessment.objects.filter(
        participant_id=OuterRef("assessment__participant_id"),
        kind=AssessmentKind.SELF,
        status=AssessmentStatus.SUBMITTED,
    )
    rows = (
        Score.objects.filter(
            Q(assessment__participant__campaign__status=CampaignStatus.CLOSED) | Exists(self_submitted),
            assessment__participant__person=sources.person,
            assessment__kind=AssessmentKind.EXPERT,
            assessment__status=AssessmentStatus.SUBMITTED,
            assessment__participant__campaign__starts_on__lte=sources.end,
        )
        .values_list(
            "assessment__participant_id",
            "assessment__participant__campaign__starts_on",
            "assessment__participant__campaign__ends_on",
            "assessment__participant__campaign__title",
            "assessment__participant__campaign__framework__levels",
            "competency__code",
            "competency__name",
            "competency__position",
            "level",
        )
        .order_by()
    )
    campaigns: dict[int, tuple[datetime.date, datetime.date, str, list]] = {}
    levels: dict[tuple[int, str], list[int]] = {}
    names: dict[tuple[int, str], tuple[int, str]] = {}
    for participant_id, starts_on, ends_on, title, scale, code, name, position, level in rows:
        campaigns.setdefault(participant_id, (starts_on, ends_on, title, scale))
        levels.setdefault((participant_id, code), []).append(level)
        names[(participant_id, code)] = (position, name)
    order = sorted(campaigns, key=lambda pid: (campaigns[pid][0], pid))
    medians: dict[int, dict[str, float]] = {pid: {} for pid in order}
    for (pid, code), given in levels.items():
        median = diagnostics.experts_median(given)
        if median is not None:
            medians[pid][code] = median
    entries = []
    latest: dict[str, float] = {}  # code → the median of the latest campaign so far
    for pid in order:
        starts_on, ends_on, title, scale = campaigns[pid]
        level_names = {int(level["value"]): str(level.get("name", "")) for level in scale or []}
        if starts_on >= sources.start and ends_on <= sources.end:
            details = []
            codes = sorted(medians[pid], key=lambda code: (names[(pid, code)][0], code))
            for code in codes:
                median = medians[pid][code]
                line = f"{code} {names[(pid, code)][1]}: {_level(median)}"
                if median == int(median) and int(median) in level_names:
                    line += f" ({level_names[int(median)]})"
                previous = latest.get(code)
                if previous is not None:
                    change = median - previous
                    if change > 0:
                        line += f"; рост на {_level(change)} (было {_level(previous)})"
                    elif change < 0:
                        line += f"; снижение на {_level(-change)} (было {_level(previous)})"
                    else:
                        line += "; без изменений"
                details.append(line)
            entries.append(
                Entry(
                    key=f"diagnostics:{pid}",
                    title=f"Диагностика профессиональных компетенций: {title}",
                    start=starts_on,
                    end=ends_on,
                    details=("Медиана экспертных оценок по каждой компетенции", *details),
                )
            )
        latest.update(medians[pid])
    return entries


#: An attestation as a document names it.
CASE_WORDS: dict[str, str] = {
    "conformity": "Аттестация на соответствие занимаемой должности",
    "first": "Аттестация на первую квалификационную категорию",
    "highest": "Аттестация на высшую квалификационную категорию",
    "methodist": "Аттестация на квалификационную категорию «педагог-методист»",
    "mentor": "Аттестация на квалификационную категорию «педагог-наставник»",
}
#: A decision as a document words it.
DECISION_WORDS: dict[str, str] = {
    CaseDecision.CONFORMS: "соответствует занимаемой должности",
    CaseDecision.DOES_NOT_CONFORM: "не соответствует занимаемой должности",
    CaseDecision.GRANTED: "квалификационная категория установлена",
    CaseDecision.REFUSED: "в установлении квалификационной категории отказано",
}


def _order(number: str, day: datetime.date | None) -> str:
    if not number and day is None:
        return ""
    text = "Приказ"
    if number:
        text += f" № {number}"
    if day is not None:
        text += f" от {day:%d.%m.%Y}"
    return text


def read_attestation(sources: Sources) -> list[Entry]:
    entries = []
    for category in reversed(sources.categories):  # the earliest first
        until = category.valid_until
        if category.set_on > sources.end or (until is not None and until < sources.start):
            continue
        details = [
            f"Установлена {category.set_on:%d.%m.%Y}, {'бессрочно' if until is None else f'до {until:%d.%m.%Y}'}"
        ]
        order = _order(category.order_number, category.order_date)
        if order:
            details.append(order)
        entries.append(
            Entry(
                key=f"category:{category.pk}",
                title=f"Квалификационная категория: {CATEGORY_WORDS.get(category.kind, category.kind)}",
                start=category.set_on,
                details=tuple(details),
            )
        )
    cases = AttestationCase.objects.filter(
        person=sources.person,
        status=CaseStatus.DECIDED,
        decided_on__gte=sources.start,
        decided_on__lte=sources.end,
    ).order_by("decided_on", "pk")
    linked = {category.case_id for category in sources.categories if category.case_id is not None}
    for case in cases:
        if case.pk in linked:
            continue  # the category it set is the entry
        details = [f"Решение: {DECISION_WORDS.get(case.decision, case.get_decision_display())}"]
        order = _order(case.order_number, case.order_date)
        if order:
            details.append(order)
        entries.append(
            Entry(
                key=f"case:{case.pk}",
                title=CASE_WORDS.get(case.kind, case.get_kind_display()),
                start=case.decided_on,
                details=tuple(details),
                url=case.get_absolute_url(),
            )
        )
    entries.sort(key=lambda entry: (entry.start or datetime.date.min, entry.key))
    return entries


def document_entry(document: PortfolioDocument) -> Entry:
    extension = (document.file.name or "").rsplit(".", 1)[-1].upper() if "." in (document.file.name or "") else ""
    return Entry(
        key=f"document:{document.pk}",
        title=document.title,
        start=document.issued_on,
        details=(f"Файл {extension}",) if extension else (),
    )


def read_documents(sources: Sources) -> list[Entry]:
    # Dated first, by date; the undated after them (explicit: PostgreSQL and SQLite sort NULL differently).
    documents = sources.portfolio.documents.order_by(F("issued_on").asc(nulls_last=True), "pk")
    return [document_entry(document) for document in documents]


#: The sections in the order the portfolio prints them. A later issue replaces a reader here (experience,
#: diagnostics), or adds a section; the key is the prefix of its entries' keys by convention only.
SECTIONS: list[SectionSpec] = [
    SectionSpec("training", "Повышение квалификации и профессиональная переподготовка", read_training),
    SectionSpec("plan_items", "Участие в методической работе: выполненные мероприятия планов", read_plan_items),
    SectionSpec(
        "experience",
        "Обобщение и распространение опыта: открытые уроки, мастер-классы, публикации",
        read_experience,
    ),
    SectionSpec("diagnostics", "Результаты диагностики профессиональных компетенций", read_diagnostics),
    SectionSpec("attestation", "Квалификационная категория и результаты аттестации", read_attestation),
    SectionSpec("documents", "Документы", read_documents),
]


# ---------------------------------------------------------------- the portfolio as a whole


@dataclass
class Section:
    key: str
    title: str
    entries: list[Entry]
    picked: set[str] = field(default_factory=set)

    @property
    def rows(self) -> list[tuple[Entry, bool]]:
        return [(entry, entry.key in self.picked) for entry in self.entries]

    @property
    def picked_entries(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.key in self.picked]

    @property
    def hours(self) -> int:
        """The hours of every entry listed (professional development)."""
        return sum(entry.hours or 0 for entry in self.entries)

    @property
    def picked_hours(self) -> int:
        return sum(entry.hours or 0 for entry in self.picked_entries)


@dataclass
class Assembled:
    """Every entry of a portfolio today, by section, with what is picked."""

    portfolio: Portfolio
    today: datetime.date
    header: dict
    sections: list[Section]

    @property
    def keys(self) -> set[str]:
        return {entry.key for section in self.sections for entry in section.entries}

    @property
    def stale_picks(self) -> list[str]:
        """Picked keys that match no entry any more (deleted, no longer confirmed, or out of the period)."""
        keys = self.keys
        return [key for key in self.portfolio.picks if key not in keys]

    @property
    def not_picked(self) -> int:
        picked = set(self.portfolio.picks)
        return sum(1 for key in self.keys if key not in picked)


def _header(sources: Sources) -> dict:
    person, portfolio = sources.person, sources.portfolio
    units = list(
        Membership.objects.active_on(sources.today)
        .filter(person=person, unit__created_on__isnull=False)
        .order_by("unit__name")
        .values_list("unit__name", flat=True)
        .distinct()
    )
    record = category_record(person, sources.today, sources.categories)
    return {
        "college": settings.COLLEGE_NAME,
        "title": portfolio.title,
        "person": person.full_name,
        "person_id": person.pk,
        "position": person.position.name if person.position_id else "",
        "units": units,
        "category": category_text(record.current, record.until) if record.current is not None else "",
        "period_start": portfolio.period_start.isoformat(),
        "period_end": portfolio.period_end.isoformat(),
        "period": format_period(portfolio.period_start, portfolio.period_end),
        "assembled_on": sources.today.isoformat(),
    }


def assemble(portfolio: Portfolio, *, today: datetime.date | None = None) -> Assembled:
    """Every entry the portfolio could print today, picked or not: one query per section, one for the units and
    one for the categories (`portfolio.person` and its position are read from the portfolio: select them)."""
    sources = Sources(portfolio=portfolio, today=today or timezone.localdate())
    picked = set(portfolio.picks or [])
    sections = [Section(spec.key, spec.title, spec.read(sources), picked) for spec in SECTIONS]
    return Assembled(portfolio=portfolio, today=sources.today, header=_header(sources), sections=sections)


def entry_keys(portfolio: Portfolio, *, today: datetime.date | None = None) -> set[str]:
    """The keys of every entry the portfolio holds today (the services check picks against them)."""
    return assemble(portfolio, today=today).keys


def portfolio_content(portfolio: Portfolio, *, today: datetime.date | None = None) -> dict:
    """What the portfolio prints now: header, sections, entries picked. JSON-serialisable.

    {"version": 1,
     "header": {"college", "title", "person", "person_id", "position", "units": [...], "category" ("" if none),
                "period_start", "period_end" (ISO), "period" («01.09.2021 – 31.08.2026»), "assembled_on" (ISO)},
     "sections": [{"key", "title", "entries": [{"key", "title", "dates", "start", "end" (ISO or None),
                   "details": [...], "hours" (training only)}], "hours" (training only: the entries' total)}]}

    Every section is listed, an empty one with no entries (the PDF leaves those out)."""
    assembled = assemble(portfolio, today=today)
    sections = []
    for section in assembled.sections:
        data: dict = {
            "key": section.key,
            "title": section.title,
            "entries": [entry.as_dict() for entry in section.picked_entries],
        }
        if section.key == "training":
            data["hours"] = section.picked_hours
        sections.append(data)
    return {"version": CONTENT_VERSION, "header": assembled.header, "sections": sections}


# ---------------------------------------------------------------- lists


def portfolio_detail():
    """A portfolio with what its page and its content read from it."""
    return Portfolio.objects.select_related("person", "person__position")


def person_portfolios(person) -> list[Portfolio]:
    """The person's portfolios, the latest period first, with the number of documents: one query."""
    return list(
        Portfolio.objects.filter(person=person)
        .annotate(document_count=Count("documents"))
        .order_by("-period_end", "-pk")
    )


def document_detail():
    return PortfolioDocument.objects.select_related("portfolio", "portfolio__person")


# ---------------------------------------------------------------- the portfolio as submitted with a case


def snapshot_document_pks(content: dict | None) -> list[int]:
    """The portfolio documents a frozen content (`portfolio_content`, as a case keeps it) lists, in its order."""
    pks: list[int] = []
    for section in (content or {}).get("sections", []):
        if section.get("key") != "documents":
            continue
        for entry in section.get("entries", []):
            prefix, _, pk = str(entry.get("key", "")).partition(":")
            if prefix == "document" and pk.isascii() and pk.isdigit():
                pks.append(int(pk))
    return pks


def submitting_cases(portfolio: Portfolio):
    """The attestation cases not withdrawn that were submitted with the portfolio (decided ones included: they are
    the record of what the commission saw)."""
    return AttestationCase.objects.filter(portfolio=portfolio).exclude(status=CaseStatus.WITHDRAWN)


@dataclass(frozen=True)
class Hold:
    """What submitted attestation cases hold of a portfolio: the portfolio itself (`submitted`: it is not deleted)
    and the documents their snapshots list (`documents`: not deleted either)."""

    submitted: bool
    documents: frozenset[int]


def submission_hold(portfolio: Portfolio) -> Hold:
    """What the cases not withdrawn submitted with the portfolio hold of it: one query."""
    snapshots = list(submitting_cases(portfolio).values_list("portfolio_snapshot", flat=True))
    return Hold(
        submitted=bool(snapshots),
        documents=frozenset(pk for content in snapshots for pk in snapshot_document_pks(content)),
    )


def submitted_document_pks(portfolio: Portfolio) -> frozenset[int]:
    """The portfolio's documents that such a case was submitted with: their files stay while it stands (one
    query)."""
    return submission_hold(portfolio).documents


def case_portfolio_documents(case: AttestationCase) -> list[tuple[dict, int, bool]]:
    """The documents of the portfolio a case was submitted with, as submitted: (the frozen entry, the document's
    primary key, whether its file is still there to download). One query, none before the submission."""
    entries = []
    for section in (case.portfolio_snapshot or {}).get("sections", []):
        if section.get("key") == "documents":
            entries.extend(section.get("entries", []))
    pks = snapshot_document_pks(case.portfolio_snapshot)
    if not pks:
        return []
    there = set(
        PortfolioDocument.objects.filter(portfolio_id=case.portfolio_id, pk__in=pks).values_list("pk", flat=True)
        if case.portfolio_id
        else []
    )
    by_key = {str(entry.get("key")): entry for entry in entries}
    return [(by_key[f"document:{pk}"], pk, pk in there) for pk in pks]
