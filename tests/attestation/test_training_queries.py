"""The professional development lists answer in a fixed number of queries, whatever the number of people and
records: 300 teachers more (100 of them in the association, a third of the professional cycle) with 4 records each
in every state, on every page of the compliance list, filtered or not, and the list of records waiting."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from attestation.models import DocumentKind, TrainingKind, TrainingRecord, TrainingStatus
from structure.models import MemberRole, Membership, Person
from tests.world import client_for

STAFF = 300


def add_many_people(world, count: int = STAFF, prefix: str = "Педагог") -> None:
    """`count` teachers with records. Memberships are written directly, as an order signed 30 days ago would have
    made them: the order engine takes minutes for hundreds of actions, and the lists only read memberships."""
    position = world.people["teacher"].position
    people = Person.objects.bulk_create(
        [
            Person(
                last_name=f"{prefix}{index:03}",
                first_name="Анна",
                patronymic="Ивановна",
                position=position,
                professional_cycle=index % 3 == 0,
            )
            for index in range(count)
        ]
    )
    start = world.today - datetime.timedelta(days=30)
    Membership.objects.bulk_create(
        [
            Membership(
                unit=world.association, person=person, role=MemberRole.MEMBER, start=start, start_order=world.signed
            )
            for person in people[: count // 3]
        ]
    )
    records = []
    for index, person in enumerate(people):
        # a course up to date, up to date, due within 6 months, overdue; an internship likewise
        for number, (kind, days_ago, status) in enumerate(
            [
                (TrainingKind.QUALIFICATION, (200, 700, 1000, 1200)[index % 4], TrainingStatus.CONFIRMED),
                (TrainingKind.INTERNSHIP, (300, 1000, 1150)[index % 3], TrainingStatus.CONFIRMED),
                (TrainingKind.QUALIFICATION, 20, TrainingStatus.SUBMITTED),
                (TrainingKind.RETRAINING, 2000, TrainingStatus.RETURNED),
            ]
        ):
            end = world.today - datetime.timedelta(days=days_ago)
            records.append(
                TrainingRecord(
                    person=person,
                    created_by=person,
                    kind=kind,
                    programme=f"Программа {number}",
                    provider="Институт развития образования",
                    hours=300 if kind == TrainingKind.RETRAINING else 36,
                    start=end - datetime.timedelta(days=5),
                    end=end,
                    document_kind={
                        TrainingKind.QUALIFICATION: DocumentKind.CERTIFICATE,
                        TrainingKind.RETRAINING: DocumentKind.DIPLOMA,
                        TrainingKind.INTERNSHIP: DocumentKind.STATEMENT,
                    }[kind],
                    status=status,
                )
            )
    TrainingRecord.objects.bulk_create(records)


pytestmark = [pytest.mark.django_db, pytest.mark.world(extend=add_many_people)]

COMPLIANCE = reverse("attestation:training_compliance")
PENDING = reverse("attestation:training_pending")

# role, address, query parameters (a function of the world), queries — including the session and the user, the
# roles (1), the menu's badge (one query: an approver's plans are read only when a submitted plan may reach them).
PINNED = [
    ("methodist", COMPLIANCE, lambda w: {}, 9),
    ("methodist", COMPLIANCE, lambda w: {"page": 3}, 9),
    ("methodist", COMPLIANCE, lambda w: {"status": "overdue"}, 9),
    ("methodist", COMPLIANCE, lambda w: {"unit": w.association.pk, "status": "compliant"}, 10),
    ("director", COMPLIANCE, lambda w: {}, 9),
    ("mo_head", COMPLIANCE, lambda w: {}, 9),
    ("methodist", PENDING, lambda w: {}, 6),
    ("mo_head", PENDING, lambda w: {"page": 2}, 6),
]


@pytest.mark.parametrize(("role", "address", "params", "queries"), PINNED)
def test_the_lists_answer_in_a_fixed_number_of_queries(
    world, django_assert_num_queries, role, address, params, queries
):
    client = client_for(world, role)
    client.get(address, params(world))  # warm caches (content types, sessions)
    with django_assert_num_queries(queries):
        response = client.get(address, params(world))
    assert response.status_code == 200
    assert len(response.context["page"]) > 0


def test_the_count_does_not_grow_with_the_staff(world, django_assert_num_queries):
    client = client_for(world, "methodist")
    client.get(COMPLIANCE)
    with django_assert_num_queries(9):
        first = client.get(COMPLIANCE)
    add_many_people(world, 100, prefix="Наставник")
    with django_assert_num_queries(9):
        second = client.get(COMPLIANCE)
    assert second.context["page"].paginator.count == first.context["page"].paginator.count + 100


def test_every_teacher_is_listed_with_a_status(world):
    response = client_for(world, "methodist").get(COMPLIANCE)
    counts = dict((key, count) for key, _label, _badge, count in response.context["counts"])
    assert sum(counts.values()) == response.context["page"].paginator.count >= STAFF
    assert all(counts.values()), counts  # overdue, due soon and up to date all occur
