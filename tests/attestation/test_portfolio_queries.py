"""The portfolio's pages answer in a fixed number of queries, whatever it gathers: 20 confirmed courses, 20 plan
items done, categories and attestations, 10 documents — and as many again."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from attestation.models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    CaseStatus,
    Category,
    CategoryKind,
    DocumentKind,
    Portfolio,
    PortfolioDocument,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from attestation.services import portfolio as services
from planning.models import ItemStatus, PlanItem, WorkForm
from tests.factories import noon
from tests.world import client_for

D = datetime.date
DAY = D(2026, 10, 14)
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=noon(DAY))]


def add_entries(world, portfolio: Portfolio, count: int, offset: int = 0) -> None:
    teacher = world.people["teacher"]
    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                person=teacher,
                created_by=teacher,
                kind=TrainingKind.QUALIFICATION,
                programme=f"Программа {offset + n}",
                provider="Институт развития образования",
                hours=16 + n,
                start=D(2022, 1, 10) + datetime.timedelta(days=30 * (offset + n)),
                end=D(2022, 1, 20) + datetime.timedelta(days=30 * (offset + n)),
                document_kind=DocumentKind.CERTIFICATE,
                status=TrainingStatus.CONFIRMED,
            )
            for n in range(count)
        ]
    )
    items = PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=world.service_plan,
                position=100 + offset + n,
                content=f"Мероприятие {offset + n}",
                direction=world.teacher_item.direction,
                form=WorkForm.SEMINAR,
                due_date=D(2026, 9, 1) + datetime.timedelta(days=n),
                status=ItemStatus.DONE,
                report="Проведено",
            )
            for n in range(count)
        ]
    )
    for item in items:
        item.responsible.add(teacher)
    PortfolioDocument.objects.bulk_create(
        [
            PortfolioDocument(
                portfolio=portfolio,
                title=f"Грамота {offset + n}",
                issued_on=D(2024, 1, 1) + datetime.timedelta(days=n),
                file=f"portfolio/2026/{offset + n:024x}.pdf",
                uploaded_by=teacher,
            )
            for n in range(count // 2)
        ]
    )
    Category.objects.create(person=teacher, kind=CategoryKind.FIRST, set_on=D(2022, 2, 1) + datetime.timedelta(offset))
    AttestationCase.objects.create(
        person=teacher,
        kind=CaseKind.CONFORMITY,
        status=CaseStatus.DECIDED,
        decision=CaseDecision.CONFORMS,
        decided_on=D(2023, 5, 1) + datetime.timedelta(offset),
    )


@pytest.fixture
def portfolio(world):
    teacher = world.people["teacher"]
    portfolio = services.portfolio_create(
        person=teacher, by=teacher, period_start=D(2022, 1, 1), period_end=D(2026, 12, 31), today=DAY
    )
    add_entries(world, portfolio, 20)
    return portfolio


# role, queries — the session and the user, the roles (1), the menu's badges; then the portfolio, the units, the categories and one query per section; the head of the association
# asks whether the teacher is a member, and has a badge of their own.
# + the diagnostics section: one query; + the experience section: two here (items, visits received), three once there
# are items (their co-authors: tests/attestation/test_portfolio_experience.py pins that reader).
PINNED = [("teacher", 15), ("methodist", 15), ("mo_head", 18)]


@pytest.mark.parametrize(("role", "queries"), PINNED)
def test_the_portfolio_page_answers_in_a_fixed_number_of_queries(
    world, portfolio, django_assert_num_queries, role, queries
):
    client = client_for(world, role)
    url = reverse("attestation:portfolio_detail", args=[portfolio.pk])
    client.get(url)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    sections = {section.key: len(section.entries) for section in response.context["assembled"].sections}
    assert sections["training"] == 20 and sections["plan_items"] == 20 and sections["documents"] == 10

    add_entries(world, portfolio, 20, offset=20)
    with django_assert_num_queries(queries):
        response = client.get(url)
    sections = {section.key: len(section.entries) for section in response.context["assembled"].sections}
    assert sections["training"] == 40 and sections["documents"] == 20


def test_the_list_of_portfolios_answers_in_a_fixed_number_of_queries(world, portfolio, django_assert_num_queries):
    teacher = world.people["teacher"]
    for year in range(2020, 2026):
        services.portfolio_create(
            person=teacher, by=teacher, period_start=D(year, 1, 1), period_end=D(year, 12, 31), today=DAY
        )
    for role, url in [
        ("teacher", reverse("attestation:portfolio_mine")),
        ("methodist", reverse("attestation:portfolio_person", args=[teacher.pk])),
    ]:
        client = client_for(world, role)
        client.get(url)
        with django_assert_num_queries(6):
            response = client.get(url)
        assert len(response.context["portfolios"]) == 7
