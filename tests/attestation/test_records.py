"""The categories a person holds (attestation.services.records): recorded by the methodist or the deputy from the
regional order, their end computed (none from 01.09.2023, else five years), refused with a code when the rules say
no; shown in the «Аттестация» block of the person's page to whom attestation.rules.records allows; printed in the
individual plan's header with the last professional development, and frozen there when the plan is approved.
"""

from __future__ import annotations

import datetime

import pytest
import rules
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    CaseStatus,
    Category,
    CategoryKind,
    DocumentKind,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from attestation.selectors import records as selectors
from attestation.services import records as services
from planning import reports
from planning import services as planning_services
from planning.models import PlanVersion
from planning.selectors import person_facts
from planning.signing import version_verification
from structure.models import Person
from tests.factories import ExternalPersonFactory, noon
from tests.planning.test_documents import pdf_text
from tests.world import ROLES, client_for

D = datetime.date
#: The tests run on this day (the world is built and used on it), whatever METOD_TEST_TODAY says.
DAY = D(2026, 10, 14)
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=noon(DAY))]


def _record(world, person="teacher", by="methodist", **fields) -> Category:
    person = world.people[person] if isinstance(person, str) else person
    return services.category_save(person=person, by=world.people[by] if by else None, **fields)


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def _refused(world, code: str, **fields) -> ValidationError:
    before = list(Category.objects.values_list("pk", "kind", "set_on", "order_number", "order_date"))
    with pytest.raises(ValidationError) as refused:
        _record(world, **fields)
    assert code in _codes(refused.value), _codes(refused.value)
    after = list(Category.objects.values_list("pk", "kind", "set_on", "order_number", "order_date"))
    assert after == before, "nothing is written on a refusal"
    return refused.value


def _training(person: Person, *, end: D, status=TrainingStatus.CONFIRMED, **fields) -> TrainingRecord:
    values = {
        "kind": TrainingKind.QUALIFICATION,
        "programme": "Цифровые инструменты в обучении",
        "provider": "ГАОУ ДПО «Институт развития образования»",
        "hours": 72,
        "start": end - datetime.timedelta(days=20),
        "document_kind": DocumentKind.CERTIFICATE,
        "document_number": "7727 0001",
        **fields,
    }
    return TrainingRecord.objects.create(person=person, end=end, status=status, **values)


# ---------------------------------------------------------------- the service


def test_a_category_set_before_01_09_2023_lasts_five_years_and_a_later_one_has_no_end(world):
    old = _record(world, kind=CategoryKind.FIRST, set_on=D(2023, 8, 31), order_number="1234", order_date=D(2023, 9, 5))
    new = _record(world, kind=CategoryKind.HIGHEST, set_on=D(2023, 9, 1), order_number="77-к")
    assert old.valid_until == D(2028, 8, 30)
    assert new.valid_until is None
    assert (old.order_number, old.order_date) == ("1234", D(2023, 9, 5))
    assert old.history.latest().history_user == world.people["methodist"].user


def test_a_category_is_corrected_and_removed_with_history(world):
    category = _record(world, kind=CategoryKind.FIRST, set_on=D(2021, 3, 15))
    _record(world, category=category, kind=CategoryKind.FIRST, set_on=D(2021, 3, 16), order_number="12")
    category.refresh_from_db()
    assert (category.set_on, category.order_number) == (D(2021, 3, 16), "12")
    services.category_delete(category=category, by=world.people["deputy"])
    assert not Category.objects.exists()
    assert [h.history_type for h in Category.history.filter(id=category.pk).order_by("history_date")] == ["+", "~", "-"]


def test_a_category_set_in_the_future_is_refused(world, today):
    error = _refused(world, "set_on_future", kind=CategoryKind.FIRST, set_on=today + datetime.timedelta(days=1))
    assert "set_on" in error.error_dict
    assert _record(world, kind=CategoryKind.FIRST, set_on=today).valid_until is None  # today is fine


def test_the_order_is_dated_on_or_after_the_decision_and_not_in_the_future(world, today):
    _refused(world, "order_before_decision", kind=CategoryKind.FIRST, set_on=D(2025, 3, 10), order_date=D(2025, 3, 9))
    _refused(
        world,
        "order_date_future",
        kind=CategoryKind.FIRST,
        set_on=D(2025, 3, 10),
        order_date=today + datetime.timedelta(days=1),
    )
    assert _record(world, kind=CategoryKind.FIRST, set_on=D(2025, 3, 10), order_date=D(2025, 3, 10)).pk


@pytest.mark.parametrize("kind", [CategoryKind.METHODIST, CategoryKind.MENTOR])
def test_methodist_and_mentor_need_the_highest_category_in_force_that_day(world, kind):
    _refused(world, "highest_required", kind=kind, set_on=D(2025, 3, 10))
    # A высшая that ended before that day does not count: set 01.03.2020, in force until 28.02.2025.
    _record(world, kind=CategoryKind.HIGHEST, set_on=D(2020, 3, 1))
    error = _refused(world, "highest_required", kind=kind, set_on=D(2025, 3, 10))
    assert "10.03.2025" in str(error)
    # A первая is not a высшая.
    _record(world, kind=CategoryKind.FIRST, set_on=D(2024, 1, 10))
    _refused(world, "highest_required", kind=kind, set_on=D(2025, 3, 10))
    # On its last day the old высшая still counts; and a новая высшая set the same day does.
    assert _record(world, kind=kind, set_on=D(2025, 2, 28)).pk
    _record(world, kind=CategoryKind.HIGHEST, set_on=D(2025, 3, 10))
    other = CategoryKind.MENTOR if kind == CategoryKind.METHODIST else CategoryKind.METHODIST
    assert _record(world, kind=other, set_on=D(2025, 3, 10)).pk


def test_no_pedagog_metodist_for_someone_in_a_methodist_post(world):
    """The world's methodist holds «Методист» (system role methodist, a teaching position): the deputy records."""
    _record(world, person="methodist", by="deputy", kind=CategoryKind.HIGHEST, set_on=D(2024, 1, 10))
    error = _refused(
        world, "methodist_post", person="methodist", by="deputy", kind=CategoryKind.METHODIST, set_on=D(2025, 3, 10)
    )
    assert "kind" in error.error_dict
    # «педагог-наставник» is open to them.
    assert _record(world, person="methodist", by="deputy", kind=CategoryKind.MENTOR, set_on=D(2025, 3, 10)).pk


def test_a_highest_category_a_methodist_one_rests_on_is_not_removed_nor_moved(world):
    highest = _record(world, kind=CategoryKind.HIGHEST, set_on=D(2024, 1, 10))
    _record(world, kind=CategoryKind.METHODIST, set_on=D(2025, 3, 10))
    with pytest.raises(ValidationError) as refused:
        services.category_delete(category=highest, by=world.people["methodist"])
    assert _codes(refused.value) == {"needed_by"}
    _refused(world, "needed_by", category=highest, kind=CategoryKind.HIGHEST, set_on=D(2025, 6, 1))
    _refused(world, "needed_by", category=highest, kind=CategoryKind.FIRST, set_on=D(2024, 1, 10))
    assert Category.objects.count() == 2


def test_who_may_hold_a_category(world):
    _refused(world, "own_record", person="methodist", by="methodist", kind=CategoryKind.FIRST, set_on=D(2024, 1, 10))
    _refused(world, "not_staff", person=ExternalPersonFactory(), kind=CategoryKind.FIRST, set_on=D(2024, 1, 10))
    _refused(world, "not_pedagogical", person="director", kind=CategoryKind.FIRST, set_on=D(2024, 1, 10))
    _record(world, kind=CategoryKind.FIRST, set_on=D(2024, 1, 10))
    _refused(world, "duplicate", kind=CategoryKind.FIRST, set_on=D(2024, 1, 10))


def test_a_category_set_through_a_case_changes_only_there(world):
    case = AttestationCase.objects.create(
        person=world.people["teacher"],
        kind=CaseKind.FIRST,
        status=CaseStatus.DECIDED,
        submitted_on=D(2025, 2, 1),
        decision=CaseDecision.GRANTED,
        decided_on=D(2025, 3, 10),
    )
    category = _record(world, kind=CategoryKind.FIRST, set_on=D(2025, 3, 10), case=case)
    assert category.case == case
    _refused(world, "from_case", category=category, kind=CategoryKind.FIRST, set_on=D(2025, 3, 11))
    with pytest.raises(ValidationError) as refused:
        services.category_delete(category=category, by=world.people["methodist"])
    assert _codes(refused.value) == {"from_case"}
    assert not rules.has_perm("attestation.change_category", world.people["methodist"].user, category)


# ---------------------------------------------------------------- rules per role

#: Who sees the teacher's categories: the teacher, management, the administrator and the head of the teacher's
#: association (mo_head); who records them: the deputy and the methodist.
SEE_TEACHER = {"admin", "director", "deputy", "methodist", "mo_head", "teacher"}
RECORD = {"deputy", "methodist"}


def _user(world, role):
    return world.admin if role == "admin" else world.people[role].user


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_rules_per_role(world, role):
    teacher = world.people["teacher"]
    category = _record(world, kind=CategoryKind.FIRST, set_on=D(2024, 1, 10))
    user = _user(world, role)
    assert rules.has_perm("attestation.view_categories", user, teacher) is (role in SEE_TEACHER)
    assert rules.has_perm("attestation.view_category", user, category) is (role in SEE_TEACHER)
    assert rules.has_perm("attestation.add_category", user, teacher) is (role in RECORD)
    assert rules.has_perm("attestation.change_category", user, category) is (role in RECORD)
    assert rules.has_perm("attestation.delete_category", user, category) is (role in RECORD)
    # Nobody records their own; nobody records for a non-teaching post.
    me = world.people.get(role)
    if me is not None:
        assert not rules.has_perm("attestation.add_category", user, me)
    assert not rules.has_perm("attestation.add_category", user, world.people["director"])


# ---------------------------------------------------------------- the person's page


def test_the_person_page_shows_the_category_in_force_and_until_when(world, today):
    teacher = world.people["teacher"]
    # Set 5 years ago less 2 months, before 01.09.2023: ends within 3 months of the tests' today (14.10.2026).
    old = _record(
        world, kind=CategoryKind.FIRST, set_on=D(2021, 12, 14), order_number="981", order_date=D(2021, 12, 20)
    )
    url = reverse("structure:person_detail", args=[teacher.pk])
    for role in SEE_TEACHER:
        page = client_for(world, role).get(url).content.decode()
        assert 'id="attestation"' in page, role
        assert "14.12.2021" in page and "13.12.2026" in page and "№ 981" in page, role
        assert (reverse("attestation:category_add", args=[teacher.pk]) in page) is (role in RECORD), role
        assert (reverse("attestation:category_edit", args=[old.pk]) in page) is (role in RECORD), role
    for role in {"chair", "secretary", "group_lead", "lab_head"}:
        page = client_for(world, role).get(url).content.decode()
        assert 'id="attestation"' not in page and "13.12.2026" not in page, role
    record = selectors.category_record(teacher, today)
    assert (record.current, record.until, record.ends_within) == (old, D(2026, 12, 13), 3)


def test_the_block_names_the_latest_category_in_force(world, today):
    teacher = world.people["teacher"]
    _record(world, kind=CategoryKind.FIRST, set_on=D(2019, 5, 20))  # ended 19.05.2024
    highest = _record(world, kind=CategoryKind.HIGHEST, set_on=D(2024, 5, 20))
    with CaptureQueriesContext(connection) as queries:
        record = selectors.category_record(teacher, today)
    assert len(queries) == 1
    assert (record.current, record.until, record.ends_within) == (highest, None, None)
    assert [row.in_force for row in record.rows] == [True, False]
    page = client_for(world, "teacher").get(reverse("structure:person_detail", args=[teacher.pk])).content.decode()
    assert "20.05.2024" in page and "19.05.2024" in page  # the old one's end is shown in the table


def test_no_block_for_a_non_teaching_post_without_categories(world):
    director = world.people["director"]
    page = client_for(world, "methodist").get(reverse("structure:person_detail", args=[director.pk])).content.decode()
    assert 'id="attestation"' not in page


# ---------------------------------------------------------------- the pages


def test_the_methodist_records_a_category_and_a_refusal_lands_on_the_form(world):
    teacher = world.people["teacher"]
    client = client_for(world, "methodist")
    url = reverse("attestation:category_add", args=[teacher.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": CategoryKind.MENTOR, "set_on": "2025-03-10"})
    assert response.status_code == 200 and not Category.objects.exists()
    assert "10.03.2025" in response.content.decode()
    response = client.post(
        url, {"kind": CategoryKind.HIGHEST, "set_on": "2025-03-10", "order_number": "311", "order_date": "2025-03-14"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/structure/people/{teacher.pk}/#attestation")
    category = Category.objects.get()
    assert (category.kind, category.order_number, category.order_date) == (CategoryKind.HIGHEST, "311", D(2025, 3, 14))
    edit = reverse("attestation:category_edit", args=[category.pk])
    assert client.post(edit, {"kind": CategoryKind.HIGHEST, "set_on": "2025-03-11"}).status_code == 302
    category.refresh_from_db()
    assert category.set_on == D(2025, 3, 11)
    delete = reverse("attestation:category_delete", args=[category.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not Category.objects.exists()


def test_a_category_out_of_reach_answers_404_and_a_forbidden_action_403(world):
    category = _record(world, kind=CategoryKind.FIRST, set_on=D(2024, 1, 10))
    edit = reverse("attestation:category_edit", args=[category.pk])
    assert client_for(world, "chair").get(edit).status_code == 404
    assert client_for(world, "teacher").get(edit).status_code == 403
    assert (
        client_for(world, "teacher").post(reverse("attestation:category_delete", args=[category.pk])).status_code == 403
    )
    assert Category.objects.filter(pk=category.pk).exists()


# ---------------------------------------------------------------- the individual plan


def test_person_facts_name_the_category_and_the_last_confirmed_training(world, today):
    teacher = world.people["teacher"]
    assert person_facts(teacher, today) == {"category": "без категории", "last_training": "—"}
    AttestationCase.objects.create(
        person=teacher,
        kind=CaseKind.CONFORMITY,
        status=CaseStatus.DECIDED,
        decision=CaseDecision.CONFORMS,
        decided_on=D(2024, 4, 15),
    )
    _training(teacher, end=D(2025, 5, 12))
    _training(teacher, end=D(2026, 5, 12), status=TrainingStatus.SUBMITTED, programme="Не подтверждено")
    _training(teacher, end=today + datetime.timedelta(days=30), programme="Ещё идёт")
    with CaptureQueriesContext(connection) as queries:
        facts = person_facts(teacher, today)
    assert len(queries) == 3
    assert facts == {
        "category": "соответствие занимаемой должности, решение от 15.04.2024",
        "last_training": "ПК «Цифровые инструменты в обучении», ГАОУ ДПО «Институт развития образования», 72 ч, 12.05.2025",
    }
    _record(world, kind=CategoryKind.FIRST, set_on=D(2021, 12, 14))
    assert person_facts(teacher, today)["category"] == "первая, установлена 14.12.2021, до 13.12.2026"
    _record(world, kind=CategoryKind.HIGHEST, set_on=D(2024, 5, 20))
    assert person_facts(teacher, today)["category"] == "высшая, установлена 20.05.2024, бессрочно"
    _training(
        teacher, end=D(2025, 9, 30), kind=TrainingKind.INTERNSHIP, programme="«Сварка в защитных газах»", hours=36
    )
    assert person_facts(teacher, today)["last_training"].startswith("стажировка «Сварка в защитных газах», ")


def test_the_individual_plan_prints_the_category_and_the_last_training_and_freezes_them_at_approval(world):
    teacher, plan = world.people["teacher"], world.teacher_plan
    _record(world, kind=CategoryKind.FIRST, set_on=D(2021, 12, 14))
    _training(teacher, end=D(2025, 5, 12))
    text = pdf_text(reports.plan_pdf(plan))
    assert "Квалификационная категория, дата присвоения: первая, установлена 14.12.2021, до 13.12.2026" in text
    assert (
        "Последнее повышение квалификации: ПК «Цифровые инструменты в обучении», ГАОУ ДПО «Институт развития "
        "образования», 72 ч, 12.05.2025" in text
    )

    plan = planning_services.plan_approve(plan=plan, person=world.people["mo_head"])
    version = PlanVersion.objects.get(plan=plan)
    assert version.snapshot["person"]["category"] == "первая, установлена 14.12.2021, до 13.12.2026"
    assert version_verification(version).ok

    # After approval the record moves on; the approved plan prints what it was approved with.
    _record(world, kind=CategoryKind.HIGHEST, set_on=D(2026, 10, 1))
    _training(teacher, end=D(2026, 9, 30), programme="Новая программа")
    plan.refresh_from_db()
    text = pdf_text(reports.plan_pdf(plan))
    assert "первая, установлена 14.12.2021, до 13.12.2026" in text
    assert "высшая" not in text and "Новая программа" not in text
    assert version_verification(PlanVersion.objects.get(pk=version.pk)).ok


def test_a_version_approved_before_the_facts_were_frozen_prints_a_dash_as_it_did(world):
    teacher, plan = world.people["teacher"], world.teacher_plan
    plan = planning_services.plan_approve(plan=plan, person=world.people["mo_head"])
    version = PlanVersion.objects.get(plan=plan)
    snapshot = version.snapshot
    snapshot["person"] = {"name": snapshot["person"]["name"], "position": snapshot["person"]["position"]}
    PlanVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)
    _record(world, kind=CategoryKind.HIGHEST, set_on=D(2024, 5, 20))
    _training(teacher, end=D(2025, 5, 12))
    plan.refresh_from_db()
    text = pdf_text(reports.plan_pdf(plan))
    assert "Квалификационная категория, дата присвоения: —" in text
    assert "Последнее повышение квалификации: —" in text


# ---------------------------------------------------------------- the pages as a user sees them


def test_the_pages_of_the_record_speak_russian_and_are_valid_html(world, tmp_path):
    """The site crawl visits two person pages per role: these pages, with an absence and a category to show, are
    checked here for every role that opens them — Russian words only, valid HTML (W3C Nu, when Java is there)."""
    from structure.services import absence_save
    from tests.crawl import latin_words, parse_page, vnu_command, vnu_errors
    from tests.test_site_crawl import latin_data

    teacher = world.people["teacher"]
    absence = absence_save(person=teacher, kind="parental", start=D(2025, 2, 1), end=D(2026, 8, 31))
    category = _record(world, kind=CategoryKind.FIRST, set_on=D(2021, 12, 14), order_number="981")
    person = reverse("structure:person_detail", args=[teacher.pk])
    pages = {
        "methodist": [
            person,
            reverse("structure:absence_add", args=[teacher.pk]),
            reverse("structure:absence_edit", args=[teacher.pk, absence.pk]),
            reverse("structure:absence_delete", args=[teacher.pk, absence.pk]),
            reverse("attestation:category_add", args=[teacher.pk]),
            reverse("attestation:category_edit", args=[category.pk]),
            reverse("attestation:category_delete", args=[category.pk]),
            reverse("structure:person_edit", args=[teacher.pk]),
        ],
        "teacher": [person],
        "mo_head": [person],
        "admin": [person, reverse("structure:person_edit", args=[teacher.pk])],
    }
    data = latin_data()
    for role, urls in pages.items():
        client = client_for(world, role)
        for index, url in enumerate(urls):
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            html = response.content.decode()
            assert latin_words(parse_page(html).text, data) == [], (role, url)
            (tmp_path / f"{role}-{index}.html").write_text(html, encoding="utf-8")
    command = vnu_command()
    if command is not None:
        assert vnu_errors(command, tmp_path) == []


def test_the_person_page_costs_the_same_queries_with_more_categories_and_absences(world):
    """The block and the absences are one query each, whatever their number (and the rule one more for a head)."""
    from structure.services import absence_save

    teacher = world.people["teacher"]
    url = reverse("structure:person_detail", args=[teacher.pk])
    _record(world, kind=CategoryKind.FIRST, set_on=D(2014, 3, 1))
    absence_save(person=teacher, kind="pregnancy", start=D(2015, 1, 1), end=D(2015, 5, 1))
    counts = {}
    for role in ("methodist", "mo_head"):
        client = client_for(world, role)
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts[role] = len(few)
    for year in range(2016, 2024):
        _record(world, kind=CategoryKind.FIRST if year % 2 else CategoryKind.HIGHEST, set_on=D(year, 3, 1))
        absence_save(person=teacher, kind="maternity", start=D(year, 1, 1), end=D(year, 2, 1))
    for role in ("methodist", "mo_head"):
        client = client_for(world, role)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert response.content.decode().count("01.03.20") >= 9
        assert len(many) == counts[role], role
