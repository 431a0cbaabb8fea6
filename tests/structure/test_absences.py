"""The person's record as the attestation rules need it: the date of birth, «преподаёт дисциплины профессионального
цикла» and the absence periods (pregnancy, maternity and parental leave, a sick leave of over 4 months).

The date of birth and the absences are personal data: the person, the director, the deputy and the methodist see
them; colleagues (association heads included) and the administrator of accounts do not, on the page or in its
change log. The deputy and the methodist keep the absences, never their own; every refusal has a code and writes
nothing.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from structure import services
from structure.models import AbsenceKind, AbsencePeriod, Person
from structure.selectors import roles_of
from tests.factories import ExternalPersonFactory, noon
from tests.world import client_for

D = datetime.date
#: The tests run on this day (the world is built and used on it), whatever METOD_TEST_TODAY says.
DAY = D(2026, 10, 14)
pytestmark = [pytest.mark.django_db, pytest.mark.world(at=noon(DAY))]
#: Who sees a teacher's personal data (the teacher is one of them); everybody else on the staff, and the
#: administrator, does not.
SEES = ["director", "deputy", "methodist", "teacher"]
DOES_NOT_SEE = ["admin", "chair", "secretary", "mo_head", "group_lead", "lab_head"]


def _save(world, **fields) -> AbsencePeriod:
    fields.setdefault("person", world.people["teacher"])
    fields.setdefault("by", world.people["methodist"])
    return services.absence_save(**fields)


def _refused(world, code: str, **fields) -> ValidationError:
    before = AbsencePeriod.objects.count()
    with pytest.raises(ValidationError) as refused:
        _save(world, **fields)
    assert code in _codes(refused.value)
    assert AbsencePeriod.objects.count() == before, "nothing is written on a refusal"
    return refused.value


def _codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


# ---------------------------------------------------------------- the service


def test_an_absence_is_added_changed_and_removed_with_history(world):
    absence = _save(world, kind=AbsenceKind.MATERNITY, start=D(2026, 3, 2), end=D(2026, 7, 19), note="Приказ № 12-к")
    assert (absence.kind, absence.start, absence.end, absence.note) == (
        AbsenceKind.MATERNITY,
        D(2026, 3, 2),
        D(2026, 7, 19),
        "Приказ № 12-к",
    )
    _save(world, absence=absence, kind=AbsenceKind.MATERNITY, start=D(2026, 3, 2), end=D(2026, 7, 20))
    absence.refresh_from_db()
    assert absence.end == D(2026, 7, 20)
    services.absence_delete(absence=absence, by=world.people["deputy"])
    assert not AbsencePeriod.objects.exists()
    history = list(AbsencePeriod.history.filter(id=absence.pk).order_by("history_date"))
    assert [row.history_type for row in history] == ["+", "~", "-"]
    methodist, deputy = world.people["methodist"].user, world.people["deputy"].user
    assert [row.history_user for row in history] == [methodist, methodist, deputy]


def test_an_open_absence_lasts_until_it_is_ended(world):
    absence = _save(world, kind=AbsenceKind.PARENTAL, start=D(2025, 1, 10))
    assert absence.end is None
    _save(world, absence=absence, kind=AbsenceKind.PARENTAL, start=D(2025, 1, 10), end=D(2026, 9, 1))


def test_an_absence_ending_before_it_starts_is_refused(world):
    error = _refused(
        world, "absence_end_before_start", kind=AbsenceKind.MATERNITY, start=D(2026, 3, 2), end=D(2026, 3, 1)
    )
    assert "end" in error.error_dict


def test_a_one_day_absence_is_accepted(world):
    assert _save(world, kind=AbsenceKind.PREGNANCY, start=D(2026, 3, 2), end=D(2026, 3, 2)).pk


@pytest.mark.parametrize(
    ("end", "accepted"),
    [
        (D(2026, 4, 30), False),  # 01.01–30.04: exactly 4 months, not over 4
        (D(2026, 5, 1), True),  # over 4 months
        (None, True),  # still lasts: it is recorded, its length is not known yet
    ],
)
def test_a_sick_leave_is_recorded_only_when_over_4_months(world, end, accepted):
    fields = {"kind": AbsenceKind.SICK_LEAVE, "start": D(2026, 1, 1), "end": end}
    if accepted:
        assert _save(world, **fields).pk
    else:
        error = _refused(world, "sick_leave_short", **fields)
        assert "01.05.2026" in str(error)


def test_a_sick_leave_from_the_31st_counts_4_months_to_the_month_end(world):
    """31.10 + 4 months has no 31st: the month's last day, 28.02 (29.02 in a leap year)."""
    _refused(world, "sick_leave_short", kind=AbsenceKind.SICK_LEAVE, start=D(2026, 10, 31), end=D(2027, 2, 27))
    assert _save(world, kind=AbsenceKind.SICK_LEAVE, start=D(2026, 10, 31), end=D(2027, 2, 28)).pk


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 5, 1), D(2026, 5, 10)),  # inside
        (D(2026, 2, 1), D(2026, 3, 2)),  # touches the first day
        (D(2026, 7, 19), None),  # from the last day on, open
        (D(2025, 1, 1), D(2027, 1, 1)),  # around it
    ],
)
def test_overlapping_periods_of_one_kind_are_refused(world, start, end):
    _save(world, kind=AbsenceKind.MATERNITY, start=D(2026, 3, 2), end=D(2026, 7, 19))
    error = _refused(world, "absence_overlap", kind=AbsenceKind.MATERNITY, start=start, end=end)
    assert "02.03.2026" in str(error)


def test_an_open_period_overlaps_every_later_one_of_its_kind(world):
    _save(world, kind=AbsenceKind.PARENTAL, start=D(2025, 1, 10))
    _refused(world, "absence_overlap", kind=AbsenceKind.PARENTAL, start=D(2030, 1, 1), end=D(2030, 2, 1))


def test_periods_of_different_kinds_may_overlap_and_adjacent_ones_of_a_kind_too(world):
    _save(world, kind=AbsenceKind.MATERNITY, start=D(2026, 3, 2), end=D(2026, 7, 19))
    _save(world, kind=AbsenceKind.PARENTAL, start=D(2026, 7, 1))  # another kind: may overlap
    _save(world, kind=AbsenceKind.MATERNITY, start=D(2026, 7, 20), end=D(2026, 8, 1))  # the day after: no overlap
    assert AbsencePeriod.objects.count() == 3


def test_a_period_changed_is_not_compared_with_itself(world):
    absence = _save(world, kind=AbsenceKind.MATERNITY, start=D(2026, 3, 2), end=D(2026, 7, 19))
    _save(world, absence=absence, kind=AbsenceKind.MATERNITY, start=D(2026, 3, 1), end=D(2026, 7, 19))


def test_nobody_records_their_own_absence(world):
    methodist = world.people["methodist"]
    _refused(world, "own_record", person=methodist, by=methodist, kind=AbsenceKind.PREGNANCY, start=D(2026, 3, 2))
    absence = _save(world, person=methodist, by=world.people["deputy"], kind=AbsenceKind.PREGNANCY, start=D(2026, 3, 2))
    with pytest.raises(ValidationError) as refused:
        services.absence_delete(absence=absence, by=methodist)
    assert _codes(refused.value) == {"own_record"}
    assert AbsencePeriod.objects.filter(pk=absence.pk).exists()


def test_no_absences_for_an_external_researcher(world):
    _refused(world, "not_staff", person=ExternalPersonFactory(), kind=AbsenceKind.PREGNANCY, start=D(2026, 3, 2))


# ---------------------------------------------------------------- the date of birth and the professional cycle


def test_the_person_form_sets_the_date_of_birth_and_the_professional_cycle(world):
    teacher = world.people["teacher"]
    client = client_for(world, "methodist")
    data = {
        "last_name": teacher.last_name,
        "first_name": teacher.first_name,
        "patronymic": teacher.patronymic,
        "gender": teacher.gender,
        "position": teacher.position_id,
        "birth_date": "1986-04-17",
        "professional_cycle": "on",
    }
    response = client.post(reverse("structure:person_edit", args=[teacher.pk]), data)
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.birth_date == D(1986, 4, 17)
    assert teacher.professional_cycle is True
    # The change is in the person's history, with the old and the new value.
    row = teacher.history.latest()
    assert row.birth_date == D(1986, 4, 17) and row.professional_cycle is True


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (D(2026, 10, 15), "birth_date_future"),  # tomorrow (the tests' today is 14.10.2026)
        (D(2019, 4, 17), "birth_date_implausible"),  # a typo for 1979: a seven-year-old
        (D(1899, 12, 31), "birth_date_implausible"),
    ],
)
def test_an_implausible_date_of_birth_is_refused(world, day, code):
    teacher = world.people["teacher"]
    with pytest.raises(ValidationError) as refused:
        services.person_save(by=roles_of(world.people["methodist"].user), person=teacher, birth_date=day)
    assert refused.value.error_dict["birth_date"][0].code == code
    teacher.refresh_from_db()
    assert teacher.birth_date is None


def test_the_administrator_edits_a_person_without_seeing_or_clearing_the_date_of_birth(world):
    teacher = world.people["teacher"]
    Person.objects.filter(pk=teacher.pk).update(birth_date=D(1986, 4, 17))
    client = client_for(world, "admin")
    page = client.get(reverse("structure:person_edit", args=[teacher.pk])).content.decode()
    assert 'name="birth_date"' not in page
    assert 'name="professional_cycle"' in page
    data = {
        "last_name": teacher.last_name,
        "first_name": teacher.first_name,
        "patronymic": teacher.patronymic,
        "gender": teacher.gender,
        "position": teacher.position_id,
        "birth_date": "1990-01-01",  # forged: not a field of this form
    }
    assert client.post(reverse("structure:person_edit", args=[teacher.pk]), data).status_code == 302
    teacher.refresh_from_db()
    assert teacher.birth_date == D(1986, 4, 17)
    page = client_for(world, "methodist").get(reverse("structure:person_create")).content.decode()
    assert 'name="birth_date"' in page


# ---------------------------------------------------------------- who sees what on the person's page


def _teacher_with_record(world) -> Person:
    teacher = world.people["teacher"]
    services.person_save(by=roles_of(world.people["methodist"].user), person=teacher, birth_date=D(1986, 4, 17))
    _save(world, kind=AbsenceKind.PARENTAL, start=D(2024, 2, 5), end=D(2026, 1, 31), note="Приказ № 7-к")
    return teacher


def test_personal_data_is_shown_to_the_person_and_the_management_only(world):
    teacher = _teacher_with_record(world)
    url = reverse("structure:person_detail", args=[teacher.pk])
    for role in SEES:
        page = client_for(world, role).get(url).content.decode()
        assert "17.04.1986" in page, role
        assert 'id="absences"' in page and "05.02.2024 – 31.01.2026" in page and "Приказ № 7-к" in page, role
    for role in DOES_NOT_SEE:
        page = client_for(world, role).get(url).content.decode()
        assert "17.04.1986" not in page and "1986" not in page, role  # nor in the change log
        assert 'id="absences"' not in page and "05.02.2024" not in page and "Приказ № 7-к" not in page, role


def test_only_the_deputy_and_the_methodist_see_the_buttons(world):
    teacher = _teacher_with_record(world)
    absence = teacher.absences.get()
    edit = reverse("structure:absence_edit", args=[teacher.pk, absence.pk])
    add = reverse("structure:absence_add", args=[teacher.pk])
    url = reverse("structure:person_detail", args=[teacher.pk])
    for role in SEES:
        page = client_for(world, role).get(url).content.decode()
        assert (edit in page and add in page) is (role in ("deputy", "methodist")), role


def test_the_methodist_adds_an_absence_on_the_page_and_a_refusal_lands_on_the_form(world):
    teacher = world.people["teacher"]
    client = client_for(world, "methodist")
    url = reverse("structure:absence_add", args=[teacher.pk])
    response = client.post(url, {"kind": AbsenceKind.SICK_LEAVE, "start": "2026-01-01", "end": "2026-03-01"})
    assert response.status_code == 200
    assert "01.05.2026" in response.content.decode()
    assert not AbsencePeriod.objects.exists()
    response = client.post(url, {"kind": AbsenceKind.SICK_LEAVE, "start": "2026-01-01", "end": "2026-06-01"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/structure/people/{teacher.pk}/#absences")
    absence = AbsencePeriod.objects.get()
    assert absence.history.latest().history_user == world.people["methodist"].user
    delete = reverse("structure:absence_delete", args=[teacher.pk, absence.pk])
    assert client.post(delete).status_code == 302
    assert not AbsencePeriod.objects.exists()


def test_a_period_of_someone_else_answers_404_through_another_person(world):
    teacher = _teacher_with_record(world)
    absence = teacher.absences.get()
    other = world.people["chair"]
    url = reverse("structure:absence_edit", args=[other.pk, absence.pk])
    assert client_for(world, "methodist").get(url).status_code == 404


def test_the_person_themself_sees_but_may_not_change_their_absences(world):
    teacher = _teacher_with_record(world)
    absence = teacher.absences.get()
    client = client_for(world, "teacher")
    assert client.get(reverse("structure:absence_add", args=[teacher.pk])).status_code == 403
    assert client.post(reverse("structure:absence_delete", args=[teacher.pk, absence.pk])).status_code == 403
    assert AbsencePeriod.objects.filter(pk=absence.pk).exists()
