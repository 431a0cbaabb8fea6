"""The benchmark's generator driver (bench/generate.py) with its structure and planning stages over a tiny scale:
the volumes asked for are met near enough, the named accounts hold the parts the benchmark signs in as, all with the
shared password, every signed document verifies against its stored SHA-256 (the orders signed through the engine
and those inserted in bulk alike), the structure keeps its rules, and some work waits for people today."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.test import RequestFactory, TestCase
from django.utils import timezone

from bench import generate as driver
from bench.gen.scale import PASSWORD, Scale
from planning import selectors as planning_selectors
from planning.models import Decision, DecisionStatus, Meeting, MeetingStatus, Plan, PlanItem, PlanLevel, PlanStatus
from structure import signing
from structure.models import (
    ASSOCIATION_KINDS,
    ActionKind,
    ApprovalDecision,
    MemberRole,
    Membership,
    Order,
    OrderStatus,
    Person,
    Unit,
    UnitKind,
    User,
)
from structure.selectors import roles_of

TINY = Scale(
    name="tiny",
    staff=60,
    units=10,
    years=2,
    plan_items=700,
    meetings=14,
    orders=24,
    pd_records=0,
    attestation_cases=0,
    assessments=0,
    levels=0,
    experience_items=0,
)
USERNAMES = ["director", "deputy", "methodist", "chair", "secretary", "mo_head", "group_lead", "master", "lab_head"]
USERNAMES += ["teacher", "researcher", "admin"]


def near(made: int, asked: int, tolerance: float) -> bool:
    return abs(made - asked) <= asked * tolerance


@pytest.mark.dated  # the years, orders, plans and meetings are laid out around today
class GeneratedTinyTest(TestCase):
    """Generated once for the class through the driver (structure and planning); each test reads it."""

    @classmethod
    def setUpTestData(cls):
        cls.out = StringIO()
        cls.report = driver.generate(TINY, seed=7, only={"structure", "planning"}, out=cls.out)
        cls.today = timezone.localdate()

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def test_the_volumes_are_near_the_scale(self):
        tables = self.report["tables"]
        assert Person.objects.filter(is_external=False).count() == TINY.staff
        assert tables["structure.Unit"] == TINY.units
        assert near(tables["planning.PlanItem"], TINY.plan_items, 0.35), tables["planning.PlanItem"]
        assert near(tables["planning.Meeting"], TINY.meetings, 0.35), tables["planning.Meeting"]
        signed = Order.objects.filter(status=OrderStatus.SIGNED).count()
        assert near(signed, TINY.orders, 0.4), signed
        assert Plan.objects.values("year").distinct().count() == TINY.years
        # The report: each stage's time and counts, the rows per table; the size only on PostgreSQL.
        assert set(self.report["stages"]) == {"structure", "planning"}
        assert all(stage["seconds"] >= 0 for stage in self.report["stages"].values())
        assert tables["structure.Person"] == TINY.staff + 1  # and the external researcher
        assert (self.report["database_bytes"] is None) == (driver.database_size() is None)

    def test_the_named_accounts_hold_their_parts(self):
        roles = {username: roles_of(self.user(username)) for username in USERNAMES}
        assert roles["director"].is_director
        assert roles["deputy"].is_deputy
        assert roles["methodist"].is_methodist
        assert roles["chair"].is_council_chair
        assert roles["secretary"].is_council_secretary
        assert roles["mo_head"].is_association_head
        assert roles["group_lead"].is_group_lead
        assert roles["master"].is_group_lead and roles["master"].person.position.name == "Старший мастер"
        assert roles["lab_head"].is_lab_head
        assert roles["researcher"].person.is_external
        assert roles["researcher"].holds(UnitKind.LAB, MemberRole.MEMBER)
        assert roles["admin"].is_admin and roles["admin"].person is None
        # The teacher is a plain member of the association the mo_head heads (one of the largest).
        headed = next(uid for uid, (_kind, role) in roles["mo_head"].units.items() if role == MemberRole.HEAD)
        assert roles["teacher"].units[headed][1] == MemberRole.MEMBER
        sizes = (
            Membership.objects.active_on(self.today)
            .filter(unit__kind__in=ASSOCIATION_KINDS)
            .values("unit")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("unit", flat=True)
        )
        assert headed in list(sizes)[:2]

    def test_every_account_signs_in_with_the_shared_password(self):
        request = RequestFactory().get("/")  # django-axes wants the request
        generated = Person.objects.filter(is_external=False).exclude(user__username__in=USERNAMES).first().user
        for username in [*USERNAMES, generated.username]:
            assert self.client.login(request=request, username=username, password=PASSWORD), username
            self.client.logout()

    def test_every_signed_document_matches_its_hash(self):
        """The engine's orders and the bulk ones, the protocols and the approved plan versions: verify_documents
        recomputes each hash from the stored content."""
        out = StringIO()
        call_command("verify_documents", stdout=out)
        assert "All documents match" in out.getvalue()
        assert Meeting.objects.filter(status=MeetingStatus.SIGNED).exists()
        # Units were created and heads appointed by orders the engine signed: numbered, dated, hashed.
        for unit in Unit.objects.exclude(created_on=None).select_related("created_by_order"):
            order = unit.created_by_order
            assert order.status in {OrderStatus.SIGNED, OrderStatus.CANCELLED}
            assert order.number and order.date == unit.created_on and len(order.content_hash) == 64
            assert signing.order_verification(order).ok
            assert order.acknowledgements.exists()
        numbers = Order.objects.exclude(number=None).values_list("year", "number")
        assert len(set(numbers)) == len(numbers)

    def test_the_structure_keeps_its_rules(self):
        today = self.today
        active = Membership.objects.active_on(today)
        for unit in Unit.objects.active_on(today):
            heads = active.filter(unit=unit, role=MemberRole.HEAD).count()
            if unit.kind in ASSOCIATION_KINDS | {UnitKind.CREATIVE_GROUP, UnitKind.LAB, UnitKind.SERVICE}:
                assert heads == 1, unit.name
            for role in (MemberRole.DEPUTY, MemberRole.SECRETARY):
                assert active.filter(unit=unit, role=role).count() <= 1, (unit.name, role)
        twice = active.values("unit", "person").annotate(n=Count("pk")).filter(n__gt=1)
        assert not twice.exists()
        assert not Membership.objects.filter(end__isnull=False, end__lte=F("start")).exists()  # no empty periods
        assert not active.exclude(unit__in=Unit.objects.active_on(today)).exists()
        # Every membership started by a signed order; the ended ones ended by one.
        assert not Membership.objects.exclude(start_order__status=OrderStatus.SIGNED).exists()
        assert not Membership.objects.filter(end__isnull=False, end_order__isnull=True).exists()

    def test_work_waits_for_people_today(self):
        teacher = self.user("teacher").person
        mo_head = self.user("mo_head").person
        plan = Plan.objects.get(level=PlanLevel.INDIVIDUAL, person=teacher, year__is_current=True)
        assert plan.status == PlanStatus.SUBMITTED
        assert mo_head.pk in planning_selectors.approvers_of(plan)
        soon = self.today + datetime.timedelta(days=14)
        assert PlanItem.objects.filter(plan=plan, due_date__range=(self.today, soon)).exists()
        assert Decision.objects.filter(
            responsible=teacher, status=DecisionStatus.OPEN, deadline__range=(self.today, soon)
        ).exists()
        assert Order.objects.filter(status=OrderStatus.ON_SIGNING).exists()
        waiting = Order.objects.get(status=OrderStatus.ON_APPROVAL)
        assert waiting.approvals.filter(person__user__username="chair", decision=ApprovalDecision.PENDING).exists()
        assert Plan.objects.filter(status=PlanStatus.APPROVED, year__is_current=True).exists()
        # Through the services: the approval froze a version for some of this year's plans.
        assert Plan.objects.filter(year__is_current=True, versions__isnull=False).exists()
        assert Order.objects.filter(clauses__actions__kind=ActionKind.CREATE_UNIT, status=OrderStatus.SIGNED).exists()

    def test_a_database_with_data_is_refused(self):
        with pytest.raises(driver.NotEmpty, match="not empty"):
            driver.check_empty()


def test_a_missing_stage_is_skipped():
    assert driver.run_stage("bench.gen.no_such_stage", TINY, None) is None
    assert driver.run_stage("bench.gen.scale", TINY, None) is None  # a module without generate()
