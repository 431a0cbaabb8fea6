"""A person's work phone (printed in the отметка об исполнителе of the orders they draft): kept as typed when it
reads as a phone number, refused with its own code otherwise."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from structure import services
from structure.models import SystemRole
from structure.selectors import roles_of
from tests.factories import PersonFactory, person_with_account

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phone", ["+7 (495) 123-45-67", "8 800 555-35-35", "2-15 доб. 104", ""])
def test_a_phone_number_is_kept_as_typed(phone):
    methodist = person_with_account("methodist", SystemRole.METHODIST)
    person = PersonFactory()

    services.person_save(by=roles_of(methodist.user), person=person, phone=phone)

    person.refresh_from_db()
    assert person.phone == phone


@pytest.mark.parametrize("phone", ["позвонить секретарю", "<script>", "+7 495 123 45 67 ext"])
def test_text_that_is_not_a_phone_number_is_refused(phone):
    methodist = person_with_account("methodist", SystemRole.METHODIST)
    person = PersonFactory(phone="")

    with pytest.raises(ValidationError) as refused:
        services.person_save(by=roles_of(methodist.user), person=person, phone=phone)

    assert refused.value.error_dict["phone"][0].code == "invalid_phone"
    person.refresh_from_db()
    assert person.phone == ""
