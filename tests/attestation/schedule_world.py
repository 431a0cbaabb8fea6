"""Records that put the test college's teachers (tests/world.py) into each status of the attestation schedule, dated
from `today` so that each lands in its status on whatever day the tests run."""

from __future__ import annotations

import datetime

from attestation import schedule as rules_of_schedule
from attestation.models import AttestationCase, CaseDecision, CaseKind, CaseStatus, Category, CategoryKind
from structure.models import Person


def years_ago(today: datetime.date, years: int, days: int = 0) -> datetime.date:
    return rules_of_schedule.add_years(today, -years) + datetime.timedelta(days=days)


def give_statuses(world, today: datetime.date) -> dict[str, Person]:
    """One teacher in each status (besides the world's overdue ones), named by it."""
    people = world.people
    chair, secretary, group_lead, lab_head = (people[r] for r in ("chair", "secretary", "group_lead", "lab_head"))
    # exempt: a category without end (set after 01.09.2023)
    Category.objects.create(person=chair, kind=CategoryKind.HIGHEST, set_on=datetime.date(2024, 1, 10))
    # apply now: an old category ending within 3 months (and exempt until then)
    Category.objects.create(
        person=secretary, kind=CategoryKind.FIRST, set_on=min(years_ago(today, 5, 40), datetime.date(2023, 8, 31))
    )
    # due soon: attested 5 years ago less two months
    AttestationCase.objects.create(
        person=group_lead,
        kind=CaseKind.CONFORMITY,
        status=CaseStatus.DECIDED,
        decision=CaseDecision.CONFORMS,
        decided_on=years_ago(today, 5, 60),
    )
    # scheduled: attested a year ago
    AttestationCase.objects.create(
        person=lab_head,
        kind=CaseKind.CONFORMITY,
        status=CaseStatus.DECIDED,
        decision=CaseDecision.CONFORMS,
        decided_on=years_ago(today, 1),
    )
    return {"exempt": chair, "apply_now": secretary, "due_soon": group_lead, "scheduled": lab_head}
