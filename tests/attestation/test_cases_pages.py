"""The attestation case pages: the list (filters, pages, empty state), «my attestation», opening a category case,
the case's page with the steps each viewer may take, each step through its form (and the refusals on the form),
documents uploaded, served as attachments and deleted after a confirmation page, withdrawal, the portfolio as
submitted as PDF (frozen), the conformity panel on conformity cases, and the query counts of the list and the page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from attestation.models import AttestationCase, CaseDocument, CaseKind, CaseStatus, Category
from attestation.services import cases as services
from structure.models import Person
from tests.attestation.matrix_cases import give_highest, open_case, portfolio_of, use_portfolio_contract
from tests.security import upload_samples
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(extra_staff=8)]


@pytest.fixture(autouse=True)
def _portfolio(monkeypatch):
    use_portfolio_contract(monkeypatch)


def url(name: str, **kwargs) -> str:
    return reverse(f"attestation:{name}", kwargs=kwargs)


def html(response) -> str:
    return response.content.decode()


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def member_of_association(world) -> Person:
    """A member of `mo_head`'s association other than the teacher (tests.world: the extra staff from the 6th)."""
    return (
        Person.objects.filter(
            memberships__unit=world.association, memberships__role="member", memberships__end__isnull=True
        )
        .exclude(pk=world.people["teacher"].pk)
        .first()
    )


def submitted(world, case=None, days: int = 5) -> AttestationCase:
    teacher = world.people["teacher"]
    case = case or open_case(world)
    return services.category_submit(case=case, by=teacher, on=days_ago(days), portfolio=portfolio_of(teacher))


# ---------------------------------------------------------------- the lists


def test_my_attestation_lists_my_cases_and_offers_to_apply(world):
    case = open_case(world)
    open_case(world, person="mo_head")
    response = client_for(world, "teacher").get(url("case_mine"))
    assert response.status_code == 200
    assert list(response.context["cases"]) == [case]
    assert url("case_open_category") in html(response)


def test_my_attestation_empty(world):
    response = client_for(world, "director").get(url("case_mine"))
    assert response.status_code == 200 and not response.context["cases"]
    assert url("case_open_category") not in html(response)  # the director's post is not a teaching one


def test_the_list_shows_everyone_to_the_methodist_and_members_to_the_head(world):
    mine = open_case(world)
    member = member_of_association(world)
    theirs = services.category_open(person=member, kind=CaseKind.FIRST, by=world.people["methodist"])
    outsider = open_case(world, person="chair")
    everyone = client_for(world, "methodist").get(url("case_list")).context["page"]
    assert {c.pk for c in everyone} == {mine.pk, theirs.pk, outsider.pk}
    members = client_for(world, "mo_head").get(url("case_list")).context["page"]
    assert {c.pk for c in members} == {mine.pk, theirs.pk}


def test_the_list_filters(world):
    first = open_case(world)
    give_highest(world.people["mo_head"], datetime.date(2024, 1, 15))
    mentor = open_case(world, CaseKind.MENTOR, person="mo_head")
    withdrawn = services.case_withdraw(case=open_case(world, person="chair"), by=world.people["chair"], reason="Нет")
    client = client_for(world, "methodist")

    def listed(**params) -> set[int]:
        return {c.pk for c in client.get(url("case_list"), params).context["page"]}

    assert listed(kind="mentor") == {mentor.pk}
    assert listed(status="withdrawn") == {withdrawn.pk}
    assert listed(person="Фамилия-TEACHER") == {first.pk}  # any case of a part of the name
    assert listed(unit=world.association.pk) == {first.pk, mentor.pk}
    response = client.get(url("case_list"), {"kind": "conformity"})
    assert not response.context["page"] and "case-status" not in html(response)


def test_the_list_is_empty_at_first(world):
    response = client_for(world, "methodist").get(url("case_list"))
    assert response.status_code == 200 and response.context["page"].paginator.count == 0


# ---------------------------------------------------------------- opening


def test_a_teacher_opens_their_own_category_case(world):
    client = client_for(world, "teacher")
    assert "person" not in client.get(url("case_open_category")).context["form"].fields
    response = client.post(url("case_open_category"), {"kind": "first", "person": world.people["chair"].pk})
    case = AttestationCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.person == world.people["teacher"] and case.status == CaseStatus.DOCUMENTS  # `person` is ignored


def test_the_methodist_opens_a_case_for_a_teacher(world):
    teacher = world.people["teacher"]
    response = client_for(world, "methodist").post(url("case_open_category"), {"kind": "highest", "person": teacher.pk})
    assert response.status_code == 302
    case = AttestationCase.objects.get()
    assert (case.person, case.kind, case.created_by) == (teacher, "highest", world.people["methodist"])


def test_opening_without_the_prerequisite_is_refused_on_the_form(world):
    response = client_for(world, "teacher").post(url("case_open_category"), {"kind": "mentor"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["needs_highest"]
    assert not AttestationCase.objects.exists()


# ---------------------------------------------------------------- the case's page


def test_others_cases_are_out_of_a_teachers_reach(world):
    case = open_case(world, person="chair")
    assert client_for(world, "teacher").get(case.get_absolute_url()).status_code == 404
    assert client_for(world, "mo_head").get(case.get_absolute_url()).status_code == 404  # not a member
    assert client_for(world, "methodist").get(case.get_absolute_url()).status_code == 200


def test_the_head_sees_a_members_case(world):
    member = member_of_association(world)
    case = services.category_open(person=member, kind=CaseKind.FIRST, by=world.people["methodist"])
    assert client_for(world, "mo_head").get(case.get_absolute_url()).status_code == 200


def test_the_page_offers_each_viewer_their_steps(world):
    give_highest(world.people["teacher"], datetime.date(2024, 1, 15))
    case = open_case(world, CaseKind.MENTOR)
    steps = lambda role: client_for(world, role).get(case.get_absolute_url()).context["steps"]  # noqa: E731
    assert steps("teacher") == {"petition": False, "submit": True, "sitting": False, "decide": False}
    assert steps("methodist") == {"petition": True, "submit": False, "sitting": False, "decide": False}
    assert steps("director") == {"petition": False, "submit": False, "sitting": False, "decide": False}


def test_a_category_case_from_petition_to_the_granted_category(world):
    teacher = world.people["teacher"]
    give_highest(teacher, datetime.date(2024, 1, 15))
    case = open_case(world, CaseKind.MENTOR)
    portfolio = portfolio_of(teacher, title="Портфолио наставника")
    staff, mine = client_for(world, "methodist"), client_for(world, "teacher")

    assert staff.post(url("case_petition", pk=case.pk), {"text": "Ходатайствую"}).status_code == 302
    response = mine.post(url("case_submit", pk=case.pk), {"on": days_ago(20).isoformat(), "portfolio": portfolio.pk})
    assert response.status_code == 302
    # the commission's date: 31 days after the submission is refused, with the last allowed day
    response = staff.post(url("case_sitting", pk=case.pk), {"on": days_ago(-11).isoformat()})
    assert response.status_code == 200
    assert [e.code for e in response.context["forms"]["sitting"].errors.as_data()["on"]] == ["sitting_late"]
    assert f"{days_ago(-10):%d.%m.%Y}" in html(response)
    assert staff.post(url("case_sitting", pk=case.pk), {"on": days_ago(3).isoformat()}).status_code == 302
    # the decision: granted, with the order
    response = staff.post(
        url("case_decide", pk=case.pk),
        {
            "decision": "granted",
            "on": days_ago(2).isoformat(),
            "order_number": "77-р",
            "order_date": days_ago(1).isoformat(),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision == "granted"
    category = Category.objects.get(case=case)
    assert (category.kind, category.set_on, category.valid_until) == ("mentor", days_ago(2), None)
    page = html(mine.get(case.get_absolute_url()))
    assert "77-р" in page and url("case_portfolio_pdf", pk=case.pk) in page


def test_the_portfolio_prints_as_submitted(world):
    teacher = world.people["teacher"]
    portfolio = portfolio_of(teacher, title="Портфолио как подано")
    case = services.category_submit(case=open_case(world), by=teacher, on=days_ago(3), portfolio=portfolio)
    portfolio.title = "Портфолио изменённое"
    portfolio.save()
    response = client_for(world, "teacher").get(url("case_portfolio_pdf", pk=case.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Портфолио как подано" in text and "изменённое" not in text


def test_no_portfolio_pdf_before_submission(world):
    case = open_case(world)
    assert client_for(world, "teacher").get(url("case_portfolio_pdf", pk=case.pk)).status_code == 404


def test_the_person_does_not_run_their_own_case(world):
    case = submitted(world)
    response = client_for(world, "teacher").post(url("case_sitting", pk=case.pk), {"on": days_ago(1).isoformat()})
    assert response.status_code == 403
    methodist_case = open_case(world, person="methodist")
    client = client_for(world, "methodist")
    assert client.get(methodist_case.get_absolute_url()).context["steps"]["petition"] is False
    response = client.post(url("case_petition", pk=methodist_case.pk), {"text": "Сам себе"})
    assert response.status_code == 403


def test_a_case_is_withdrawn_after_confirmation(world):
    case = open_case(world)
    client = client_for(world, "teacher")
    page = client.get(url("case_withdraw", pk=case.pk))
    assert page.status_code == 200 and AttestationCase.objects.get().status == CaseStatus.DOCUMENTS
    response = client.post(url("case_withdraw", pk=case.pk), {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url("case_withdraw", pk=case.pk), {"reason": "Переношу на следующий год"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert client.get(url("case_withdraw", pk=case.pk)).status_code == 403  # closed


def test_documents_are_uploaded_downloaded_and_deleted(world):
    case = open_case(world)
    client = client_for(world, "teacher")
    response = client.post(
        url("case_document_add", pk=case.pk),
        {"kind": "application", "title": "Заявление", "file": SimpleUploadedFile("Заявление.pdf", upload_samples.PDF)},
    )
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    page = html(client.get(case.get_absolute_url()))
    assert url("case_document", pk=case.pk, document_pk=document.pk) in page
    assert url("case_document_delete", pk=case.pk, document_pk=document.pk) in page

    download = client_for(world, "methodist").get(url("case_document", pk=case.pk, document_pk=document.pk))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == upload_samples.PDF
    assert client_for(world, "chair").get(url("case_document", pk=case.pk, document_pk=document.pk)).status_code == 404
    # the methodist did not upload it: no deletion
    assert (
        client_for(world, "methodist").get(url("case_document_delete", pk=case.pk, document_pk=document.pk)).status_code
        == 403
    )
    assert client.get(url("case_document_delete", pk=case.pk, document_pk=document.pk)).status_code == 200
    assert client.post(url("case_document_delete", pk=case.pk, document_pk=document.pk)).status_code == 302
    assert not CaseDocument.objects.exists()


def test_a_bad_file_is_refused_on_the_form(world):
    case = open_case(world)
    response = client_for(world, "teacher").post(
        url("case_document_add", pk=case.pk),
        {"kind": "other", "title": "Скрипт", "file": SimpleUploadedFile("Скрипт.pdf", upload_samples.HTML)},
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["file_type"]
    assert not CaseDocument.objects.exists()


def test_a_document_of_another_case_is_not_found(world):
    case, other = open_case(world), open_case(world, CaseKind.HIGHEST)
    document = services.document_add(
        case=other,
        by=world.people["teacher"],
        kind="other",
        title="Файл",
        file=SimpleUploadedFile("Файл.pdf", upload_samples.PDF),
    )
    client = client_for(world, "teacher")
    assert client.get(url("case_document", pk=case.pk, document_pk=document.pk)).status_code == 404
    assert client.post(url("case_document_delete", pk=case.pk, document_pk=document.pk)).status_code == 404
    assert CaseDocument.objects.filter(pk=document.pk).exists()


def test_a_conformity_case_shows_the_conformity_panel(world):
    case = AttestationCase.objects.create(
        person=world.people["teacher"], kind=CaseKind.CONFORMITY, created_by=world.people["methodist"]
    )
    response = client_for(world, "methodist").get(case.get_absolute_url())
    assert response.status_code == 200
    assert "attestation/conformity/panel.html" in [t.name for t in response.templates]
    assert not any(response.context["steps"].values())  # no category steps on a conformity case


# ---------------------------------------------------------------- query counts


def many_cases(world, count: int = 30) -> None:
    """`count` cases of extra teachers in every state, written directly (the pages only read them)."""
    position = world.people["teacher"].position
    people = Person.objects.bulk_create(
        [
            Person(last_name=f"Аттестуемый{i:02}", first_name="Анна", patronymic="Петровна", position=position)
            for i in range(count)
        ]
    )
    states = [
        {"status": CaseStatus.DOCUMENTS},
        {"status": CaseStatus.SUBMITTED, "submitted_on": days_ago(20)},
        {"status": CaseStatus.SUBMITTED, "submitted_on": days_ago(20), "sitting_on": days_ago(5)},
        {
            "status": CaseStatus.DECIDED,
            "submitted_on": days_ago(90),
            "sitting_on": days_ago(70),
            "decision": "refused",
            "decided_on": days_ago(40),
        },
        {"status": CaseStatus.WITHDRAWN, "withdrawal_reason": "Отозвано"},
    ]
    kinds = ["first", "highest", "mentor", "methodist", "conformity"]
    AttestationCase.objects.bulk_create(
        [
            AttestationCase(person=person, kind=kinds[i % 5], created_by=world.people["methodist"], **states[i % 5])
            for i, person in enumerate(people)
        ]
    )


PINNED_LIST = 7


@pytest.mark.parametrize("params", [{}, {"status": "submitted"}, {"person": "Аттестуемый", "kind": "first"}])
def test_the_list_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries, params):
    many_cases(world)
    client = client_for(world, "methodist")
    client.get(url("case_list"), params)
    with django_assert_num_queries(PINNED_LIST):
        response = client.get(url("case_list"), params)
    assert len(response.context["page"]) > 0
    many_cases(world, 20)
    with django_assert_num_queries(PINNED_LIST):
        client.get(url("case_list"), params)


PINNED_DETAIL = 9


def test_the_case_page_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    teacher = world.people["teacher"]
    give_highest(teacher, datetime.date(2024, 1, 15))
    case = open_case(world, CaseKind.MENTOR)
    case = services.petition_save(case=case, by=world.people["methodist"], text="Ходатайство")
    upload = lambda n: services.document_add(  # noqa: E731
        case=case, by=teacher, kind="other", title=f"Файл {n}", file=SimpleUploadedFile("Файл.pdf", upload_samples.PDF)
    )
    for n in range(3):
        upload(n)
    portfolio_of(teacher)
    client = client_for(world, "methodist")
    client.get(case.get_absolute_url())
    with django_assert_num_queries(PINNED_DETAIL):
        client.get(case.get_absolute_url())
    for n in range(3, 10):
        upload(n)
    with django_assert_num_queries(PINNED_DETAIL):
        response = client.get(case.get_absolute_url())
    assert len(response.context["documents"]) == 10


# ---------------------------------------------------------------- review fixes


def test_the_methodist_does_not_submit_a_teachers_application(world):
    case = open_case(world)
    portfolio = portfolio_of(world.people["teacher"])
    client = client_for(world, "methodist")
    assert "step-submit" not in html(client.get(case.get_absolute_url()))
    response = client.post(url("case_submit", pk=case.pk), {"on": days_ago(3).isoformat(), "portfolio": portfolio.pk})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.DOCUMENTS and case.portfolio is None


def test_the_submit_form_refuses_another_persons_portfolio(world):
    case = open_case(world)
    theirs = portfolio_of(world.people["mo_head"])
    response = client_for(world, "teacher").post(
        url("case_submit", pk=case.pk), {"on": days_ago(3).isoformat(), "portfolio": theirs.pk}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["forms"]["submit"].errors.as_data()["portfolio"]] == ["invalid_choice"]
    case.refresh_from_db()
    assert case.status == CaseStatus.DOCUMENTS and case.portfolio is None and not case.portfolio_snapshot


def test_a_submission_dated_before_the_opening_is_refused_on_the_form(world):
    case = open_case(world, days_ago=3)
    portfolio = portfolio_of(world.people["teacher"])
    response = client_for(world, "teacher").post(
        url("case_submit", pk=case.pk), {"on": days_ago(4).isoformat(), "portfolio": portfolio.pk}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["forms"]["submit"].errors.as_data()["on"]] == ["date_before_case"]
    assert f"{days_ago(3):%d.%m.%Y}" in html(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.DOCUMENTS


def test_the_document_form_offers_the_kinds_the_user_may_add(world):
    case = open_case(world)
    kinds = lambda role: [  # noqa: E731
        value
        for value, _ in client_for(world, role)
        .get(case.get_absolute_url())
        .context["forms"]["document"]
        .fields["kind"]
        .choices
    ]
    assert kinds("teacher") == ["application", "portfolio", "other"]
    assert kinds("methodist") == ["application", "petition", "presentation", "portfolio", "decision", "other"]
    response = client_for(world, "teacher").post(
        url("case_document_add", pk=case.pk),
        {"kind": "decision", "title": "Приказ", "file": SimpleUploadedFile("Приказ.pdf", upload_samples.PDF)},
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["kind"]] == ["invalid_choice"]
    assert not CaseDocument.objects.exists()


def test_after_the_submission_the_person_adds_and_deletes_no_documents(world):
    teacher = world.people["teacher"]
    case = open_case(world)
    application = services.document_add(
        case=case,
        by=teacher,
        kind="application",
        title="Заявление",
        file=SimpleUploadedFile("З.pdf", upload_samples.PDF),
    )
    submitted(world, case)
    client = client_for(world, "teacher")
    page = client.get(case.get_absolute_url())
    assert not page.context["can"]["add_document"] and application.pk not in page.context["deletable"]
    upload = {"kind": "other", "title": "Ещё", "file": SimpleUploadedFile("Ещё.pdf", upload_samples.PDF)}
    assert client.post(url("case_document_add", pk=case.pk), upload).status_code == 403
    delete = url("case_document_delete", pk=case.pk, document_pk=application.pk)
    assert client.post(delete).status_code == 403
    assert list(CaseDocument.objects.values_list("pk", flat=True)) == [application.pk]
    # the methodist uploads the regional order after the submission
    staff = client_for(world, "methodist")
    order = {"kind": "decision", "title": "Приказ", "file": SimpleUploadedFile("Приказ.pdf", upload_samples.PDF)}
    assert staff.post(url("case_document_add", pk=case.pk), order).status_code == 302
    assert CaseDocument.objects.filter(kind="decision", uploaded_by=world.people["methodist"]).exists()


def portfolio_with_documents(world, count: int):
    from attestation.services import portfolio as portfolio_services

    teacher = world.people["teacher"]
    today = timezone.localdate()
    portfolio = portfolio_services.portfolio_create(
        person=teacher, by=teacher, period_start=days_ago(4 * 365), period_end=today, today=today
    )
    documents = [
        portfolio_services.document_add(
            portfolio=portfolio,
            by=teacher,
            title=f"Диплом {n}",
            file=SimpleUploadedFile(f"Диплом{n}.pdf", upload_samples.PDF),
            today=today,
        )
        for n in range(count)
    ]
    return portfolio, documents


def test_the_case_serves_the_files_of_the_portfolio_as_submitted(world, monkeypatch):
    from attestation.selectors import portfolio as portfolio_selectors
    from attestation.services import portfolio as portfolio_services

    monkeypatch.undo()  # the real portfolio content: its documents' keys
    teacher = world.people["teacher"]
    portfolio, (diploma,) = portfolio_with_documents(world, 1)
    case = services.category_submit(case=open_case(world), by=teacher, on=days_ago(3), portfolio=portfolio)
    later = portfolio_services.document_add(
        portfolio=portfolio, by=teacher, title="Позже", file=SimpleUploadedFile("П.pdf", upload_samples.PDF)
    )
    link = url("case_portfolio_document", pk=case.pk, document_pk=diploma.pk)
    page = client_for(world, "methodist").get(case.get_absolute_url())
    assert link in html(page)
    assert [pk for _, pk, there in page.context["portfolio_documents"] if there] == [diploma.pk]
    for role in ("methodist", "mo_head", "teacher"):
        response = client_for(world, role).get(link)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == upload_samples.PDF
    assert client_for(world, "chair").get(link).status_code == 404
    # a document added after the submission, or of another portfolio, is not the case's
    client = client_for(world, "methodist")
    assert client.get(url("case_portfolio_document", pk=case.pk, document_pk=later.pk)).status_code == 404
    other, (theirs,) = portfolio_with_documents(world, 1)
    assert client.get(url("case_portfolio_document", pk=case.pk, document_pk=theirs.pk)).status_code == 404
    assert portfolio_selectors.submitted_document_pks(portfolio) == {diploma.pk}


PINNED_SUBMITTED = 10


def test_a_submitted_case_page_lists_its_portfolio_documents_in_a_fixed_number_of_queries(
    world, django_assert_num_queries, monkeypatch
):
    monkeypatch.undo()
    teacher = world.people["teacher"]
    client = client_for(world, "methodist")
    counts = []
    for number, count in ((0, 2), (1, 8)):
        portfolio, _ = portfolio_with_documents(world, count)
        kind = (CaseKind.FIRST, CaseKind.HIGHEST)[number]
        case = services.category_submit(case=open_case(world, kind), by=teacher, on=days_ago(3), portfolio=portfolio)
        client.get(case.get_absolute_url())
        with django_assert_num_queries(PINNED_SUBMITTED):
            response = client.get(case.get_absolute_url())
        counts.append(len(response.context["portfolio_documents"]))
    assert counts == [2, 8]


def test_a_case_at_the_calendars_end_shows_its_page(world):
    case = AttestationCase.objects.create(
        person=world.people["teacher"],
        kind=CaseKind.FIRST,
        status=CaseStatus.SUBMITTED,
        submitted_on=datetime.date(9999, 12, 20),
        sitting_on=datetime.date(9999, 12, 30),
    )
    response = client_for(world, "methodist").get(case.get_absolute_url())
    assert response.status_code == 200
    response = client_for(world, "methodist").post(url("case_sitting", pk=case.pk), {"on": "9999-12-31"})
    assert response.status_code == 302


def test_far_future_dates_on_the_case_forms_are_refused_not_500(world):
    case = open_case(world)
    portfolio = portfolio_of(world.people["teacher"])
    response = client_for(world, "teacher").post(
        url("case_submit", pk=case.pk), {"on": "9999-12-31", "portfolio": portfolio.pk}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["forms"]["submit"].errors.as_data()["on"]] == ["date_in_future"]
    case = submitted(world, open_case(world, CaseKind.HIGHEST))
    staff = client_for(world, "methodist")
    response = staff.post(url("case_sitting", pk=case.pk), {"on": "9999-12-31"})
    assert [e.code for e in response.context["forms"]["sitting"].errors.as_data()["on"]] == ["sitting_late"]
    services.sitting_set(case=case, by=world.people["methodist"], on=days_ago(1))
    response = staff.post(url("case_decide", pk=case.pk), {"decision": "refused", "on": "9999-12-31"})
    assert [e.code for e in response.context["forms"]["decide"].errors.as_data()["on"]] == ["decision_late"]
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
