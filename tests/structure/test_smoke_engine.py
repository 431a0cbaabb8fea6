import pytest

from structure.models import MemberRole, SystemRole, UnitKind
from structure.selectors import structure_on
from tests.factories import PersonFactory, create_unit, person_with_account

pytestmark = pytest.mark.django_db


def test_create_group_by_signed_order_shows_in_structure(today):
    director = person_with_account("d", SystemRole.DIRECTOR)
    deputy = person_with_account("dep", SystemRole.DEPUTY)
    lead, a, b = PersonFactory.create_batch(3)
    unit = create_unit(director, deputy, UnitKind.CREATIVE_GROUP, "ТГ", head=lead, members=[a, b])
    units = structure_on(today)
    assert [u.pk for u in units] == [unit.pk]
    assert [(m.person_id, m.role) for m in units[0].members_on_day][0] == (lead.pk, MemberRole.HEAD)
    assert unit.created_by_order.registration_number == "1-од"
