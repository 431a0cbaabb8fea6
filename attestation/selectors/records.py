"""Reads of attestation/: records — the categories a person holds, the person page's «Аттестация» block, and the
facts the individual plan prints in its header (category, last professional development).

Which category is in force and until when is attestation.schedule's (current_category, category_until): nothing
here decides it again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from structure.models import Person

from .. import schedule
from ..models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    Category,
    CategoryKind,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)

#: The categories as a document names them after «Квалификационная категория:» (document text, not translated).
CATEGORY_WORDS: dict[str, str] = {
    CategoryKind.FIRST: "первая",
    CategoryKind.HIGHEST: "высшая",
    CategoryKind.METHODIST: "«педагог-методист»",
    CategoryKind.MENTOR: "«педагог-наставник»",
}
#: The kinds of professional development as a document names them.
TRAINING_WORDS: dict[str, str] = {
    TrainingKind.QUALIFICATION: "ПК",
    TrainingKind.RETRAINING: "профессиональная переподготовка",
    TrainingKind.INTERNSHIP: "стажировка",
}


def held(categories) -> tuple[schedule.CategoryHeld, ...]:
    return tuple(schedule.CategoryHeld(c.kind, c.set_on) for c in categories)


@dataclass(frozen=True)
class CategoryRow:
    category: Category
    until: datetime.date | None  # None: no end
    in_force: bool
    is_current: bool


@dataclass(frozen=True)
class CategoryRecord:
    """A person's categories on `day`: the one in force (schedule.current_category), until when, whether it ends
    within 3 or 6 months (time to apply again), and every category recorded, newest first."""

    day: datetime.date
    current: Category | None
    until: datetime.date | None
    ends_within: int | None  # 3 or 6 (months), else None
    rows: tuple[CategoryRow, ...]


def person_categories(person: Person) -> list[Category]:
    """The categories recorded for `person`, the latest set first. One query."""
    return list(Category.objects.filter(person=person).order_by("-set_on", "-pk"))


def category_record(person: Person, day: datetime.date, categories: list[Category] | None = None) -> CategoryRecord:
    """The person's categories as on `day`. One query (none when `categories` are given)."""
    categories = person_categories(person) if categories is None else categories
    record = schedule.PersonRecord(pedagogical=True, position_since=None, categories=held(categories))
    found = schedule.current_category(record, day)
    current = None
    if found is not None:
        current = next(c for c in categories if (c.kind, c.set_on) == (found.kind, found.set_on))
    until = schedule.category_until(found) if found is not None else None
    ends_within = None
    if found is not None and until is not None:
        ends_within = next((m for m in schedule.APPLY_NOW_MONTHS if until <= schedule.add_months(day, m)), None)
    rows = []
    for category in categories:
        category_until = schedule.category_until(schedule.CategoryHeld(category.kind, category.set_on))
        in_force = category.set_on <= day and (category_until is None or category_until >= day)
        rows.append(CategoryRow(category, category_until, in_force, category is current))
    return CategoryRecord(day=day, current=current, until=until, ends_within=ends_within, rows=tuple(rows))


# ---------------------------------------------------------------- the individual plan's header


def category_text(category: Category, until: datetime.date | None) -> str:
    """«высшая, установлена 12.03.2024, бессрочно», «первая, установлена 15.03.2021, до 14.03.2026»."""
    end = "бессрочно" if until is None else f"до {until:%d.%m.%Y}"
    return f"{CATEGORY_WORDS.get(category.kind, category.kind)}, установлена {category.set_on:%d.%m.%Y}, {end}"


def training_text(training: TrainingRecord) -> str:
    """«ПК «Цифровые инструменты в обучении», ГАОУ ДПО «Институт развития образования», 72 ч, 12.05.2025»."""
    programme = training.programme.strip()
    if not programme.startswith("«"):
        programme = f"«{programme}»"
    parts = [f"{TRAINING_WORDS.get(training.kind, training.kind)} {programme}", training.provider.strip()]
    parts += [f"{training.hours} ч", f"{training.end:%d.%m.%Y}"]
    return ", ".join(part for part in parts if part)


def person_facts(person: Person, day: datetime.date) -> dict[str, str]:
    """What the individual plan prints about the teacher as of `day` (planning.selectors.documents.person_facts
    asks; registered in attestation.apps): `category` — the category in force («высшая, установлена …,
    бессрочно»), else the last positive conformity decision («соответствие занимаемой должности, решение от …»),
    else «без категории»; `last_training` — the latest confirmed record of professional development ended by
    `day`, else «—». Three queries."""
    record = category_record(person, day)
    if record.current is not None:
        category = category_text(record.current, record.until)
    else:
        conformity = (
            AttestationCase.objects.filter(
                person=person,
                kind=CaseKind.CONFORMITY,
                decision=CaseDecision.CONFORMS,
                decided_on__isnull=False,
                decided_on__lte=day,
            )
            .order_by("-decided_on", "-pk")
            .values_list("decided_on", flat=True)
            .first()
        )
        if conformity is not None:
            category = f"соответствие занимаемой должности, решение от {conformity:%d.%m.%Y}"
        else:
            category = "без категории"
    training = (
        TrainingRecord.objects.filter(person=person, status=TrainingStatus.CONFIRMED, end__lte=day)
        .order_by("-end", "-pk")
        .first()
    )
    return {"category": category, "last_training": training_text(training) if training is not None else "—"}
