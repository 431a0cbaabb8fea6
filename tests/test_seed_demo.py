"""`manage.py seed_demo`: a realistic demo college built through signed orders, idempotent, refused in production."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory, TestCase, override_settings
from django.utils import timezone

from metodservice import demo
from structure.models import (
    Acknowledgement,
    MemberRole,
    Membership,
    Order,
    OrderStatus,
    Person,
    Unit,
    UnitKind,
    User,
)
from tests.attestation.test_campaigns_demo import CampaignsDemoChecks
from tests.attestation.test_demo_cases import DemoCasesChecks
from tests.experience.test_catalogue_demo import CatalogueDemoChecks
from tests.experience.test_items_demo import ItemsDemoChecks
from tests.structure.test_join_requests import DemoJoinRequestChecks
from tests.test_seed_demo_attestation import AttestationChecks
from tests.test_seed_demo_banner import BannerChecks

COUNTED = (Person, User, Unit, Membership, Order, Acknowledgement)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _active(unit: Unit):
    return Membership.objects.active_on(timezone.localdate()).filter(unit=unit)


@pytest.mark.dated  # the demo college's years, orders and meetings are laid out around today
@override_settings(DEBUG=True)
class SeededTest(
    BannerChecks,
    AttestationChecks,
    DemoJoinRequestChecks,
    DemoCasesChecks,
    CampaignsDemoChecks,
    ItemsDemoChecks,
    CatalogueDemoChecks,
    TestCase,
):
    """Seeded once for the class (a few seconds; `make test-dates` pays it on each of its days), with the checks of
    the other modules on the demo as mixins (each `prepare`s what it reads); each test runs in its own rolled-back
    transaction."""

    @classmethod
    def setUpTestData(cls):
        from django.conf import settings

        cls.media = settings.MEDIA_ROOT  # the session's (tests/conftest.py); a test's own folder is another
        cls.output = _seed()  # the class decorator already applies DEBUG=True here
        for checks in (
            BannerChecks,
            AttestationChecks,
            DemoJoinRequestChecks,
            DemoCasesChecks,
            CampaignsDemoChecks,
            ItemsDemoChecks,
            CatalogueDemoChecks,
        ):
            checks.prepare.__func__(cls, cls.output)  # type: ignore[attr-defined]

    def test_demo_college_is_built_through_signed_orders(self):
        assert 55 <= Person.objects.staff().count() <= 65
        assert not Unit.objects.filter(created_on__isnull=True).exists(), "every unit entered the structure by order"
        assert not Unit.objects.filter(created_by_order__isnull=True).exists()
        assert not Membership.objects.exclude(start_order__status=OrderStatus.SIGNED).exists()

        council = Unit.objects.get(kind=UnitKind.COUNCIL)
        assert _active(council).get(role=MemberRole.HEAD).person.user.username == "chair"
        assert _active(council).get(role=MemberRole.SECRETARY).person.user.username == "secretary"
        assert 8 <= _active(council).count() <= 11

        associations = Unit.objects.filter(kind__in=[UnitKind.ASSOCIATION_CYCLE, UnitKind.ASSOCIATION_EDUCATIONAL])
        assert associations.count() == 5
        assert associations.filter(kind=UnitKind.ASSOCIATION_EDUCATIONAL).count() == 1
        assert Membership.objects.filter(
            unit__in=associations, role=MemberRole.HEAD, person__user__username="mo_head", end__isnull=True
        ).exists()

        groups = Unit.objects.filter(kind=UnitKind.CREATIVE_GROUP)
        assert groups.count() == 2
        proposed = groups.get(proposed_by__isnull=False)
        assert proposed.proposed_by.user.username == "group_lead"
        assert _active(proposed).get(role=MemberRole.HEAD).person == proposed.proposed_by
        assert proposed.join_requests.filter(status="accepted").count() >= 2
        assert proposed.join_requests.filter(status="pending").exists()

        lab = Unit.objects.get(kind=UnitKind.LAB)
        assert _active(lab).get(role=MemberRole.HEAD).person.user.username == "lab_head"
        researcher = _active(lab).get(person__is_external=True).person
        assert researcher.user.username == "researcher"
        assert researcher.organisation

        assert _active(Unit.objects.get(kind=UnitKind.ATTESTATION_COMMISSION)).count() >= 5

        on_approval = Order.objects.get(status=OrderStatus.ON_APPROVAL)
        assert on_approval.approvals.get(person__user__username="chair").decision == "pending"
        assert Order.objects.filter(status=OrderStatus.ON_SIGNING).count() == 1
        signed = Order.objects.filter(status=OrderStatus.SIGNED)
        assert signed.count() >= 10
        assert len({order.date for order in signed}) >= 4, "orders are spread over several past dates"
        assert all(order.signed_at <= timezone.now() for order in signed), "no order is signed in the future"
        assert all(len(order.content_hash) == 64 for order in signed)

        assert Acknowledgement.objects.filter(person__user__username="teacher", acknowledged_at__isnull=True).exists()

        for username in demo.USERNAMES:
            assert username in self.output

    def test_demo_planning(self):
        from planning.models import AcademicYear, Meeting, MeetingStatus, Plan, PlanLevel, PlanStatus

        year = AcademicYear.objects.get(is_current=True)
        self.assertEqual(AcademicYear.objects.count(), 2)
        service = Plan.objects.get(level=PlanLevel.SERVICE, year=year)
        self.assertEqual((service.status, service.version), (PlanStatus.APPROVED, 2))
        self.assertEqual(
            set(service.items.values_list("direction__code", flat=True)), set(range(1, 11)), "all ten directions"
        )
        self.assertTrue(Plan.objects.filter(level=PlanLevel.UNIT, status=PlanStatus.SUBMITTED).exists())
        teacher_plan = Plan.objects.get(level=PlanLevel.INDIVIDUAL, person__user__username="teacher")
        self.assertEqual(teacher_plan.status, PlanStatus.SUBMITTED)
        self.assertTrue(Meeting.objects.filter(status=MeetingStatus.SIGNED).exists())

    def test_demo_reports_and_notifications(self):
        from metodservice.common.models import Notification, NotificationKind
        from planning.models import AcademicYear
        from reports.models import AnnualReport, FrozenReport

        current = AcademicYear.objects.get(is_current=True)
        self.assertEqual(AnnualReport.objects.count(), 2)
        self.assertTrue(AnnualReport.objects.get(year=current).conclusions)
        presented = FrozenReport.objects.get(report__year=current)
        self.assertIsNotNone(presented.agenda_item, "this year's report is frozen for the council's coming meeting")
        self.assertEqual(FrozenReport.objects.exclude(report__year=current).get().agenda_item, None)
        # What the demo's services asked of people is in their lists (recorded without e-mail: see
        # tests/test_notifications.py, test_notifications_recorded_without_email_send_nothing).
        kinds = set(Notification.objects.values_list("kind", flat=True))
        self.assertLessEqual({NotificationKind.ORDER_TO_ACKNOWLEDGE, NotificationKind.PLAN_SUBMITTED}, kinds)
        self.assertTrue(Notification.objects.filter(user__username="director").exists())

    def test_second_run_changes_nothing(self):
        before = _counts()
        output = _seed()
        assert _counts() == before
        assert "ничего не изменилось" in output

    def test_every_demo_account_logs_in_with_demo(self):
        request = RequestFactory().get("/")  # django-axes wants the request
        for username in demo.USERNAMES:
            assert self.client.login(request=request, username=username, password="demo"), username
            self.client.logout()
        assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _seed()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_refused_on_a_database_with_other_data(settings):
    settings.DEBUG = True
    User.objects.create_user(username="teacher", password="x")
    with pytest.raises(CommandError, match="teacher"):
        _seed()
    assert not Person.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    ["2026-09-01T06:00:00+03:00", "2026-09-20T12:00:00+03:00", "2026-09-25T08:00:00+03:00"],
)
def test_the_demo_signs_nothing_in_the_future(moment):
    """Seeded early on 1 September, or before the September council meeting: no order is signed after now and no
    protocol is signed before its meeting (a probe found both)."""
    import datetime

    import time_machine

    from planning.models import Meeting

    with time_machine.travel(datetime.datetime.fromisoformat(moment), tick=False):
        demo.seed()
        now = timezone.now()
        assert not Order.objects.filter(signed_at__gt=now).exists()
        signed = Meeting.objects.filter(chair_signed_at__isnull=False)
        assert signed.exists()
        assert not signed.filter(date__gt=timezone.localdate()).exists()
        call_command("verify_documents", stdout=StringIO())
