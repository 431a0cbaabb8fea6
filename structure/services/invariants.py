"""What every order keeps true of the structure, written down once; the engine (`engine.run_order`) runs it.

An order is checked as a whole, in the order of its clauses and actions, every time an action is added, when it is
sent and when it is signed:

1. before anything is applied, `check_actions` refuses actions of one order that contradict each other
   (`CONTRADICTIONS`);
2. the engine applies every action to the structure of the day (in a savepoint that is rolled back while drafting
   and sending, for real at signing), refusing an action that does not fit the structure as it then is;
3. after the last action, `check_invariants` runs every check of `INVARIANTS` on the result.

Each refusal is a ValidationError with its own `code` and names the clauses it concerns. `RULES` is the list the
README repeats.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, NoReturn

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from ..models import SINGLE_ROLES, Action, ActionKind, MemberRole, Membership, Order, Person, Unit, UnitKind

#: Kinds of unit that have a head from the day they are created.
HEADED_KINDS = {UnitKind.CREATIVE_GROUP, UnitKind.LAB, UnitKind.SERVICE}


class Row(NamedTuple):
    """One membership active on the day: who holds which role in which unit, started by which order."""

    unit: int
    person: int
    role: str
    start_order: int


def refuse(message: str, *, code: str, actions: Iterable[Action] = ()) -> NoReturn:
    """Raise the refusal, prefixed with the numbers of the clauses it concerns."""
    positions = sorted({action.clause.position for action in actions})
    if len(positions) == 1:
        message = _("Clause %(clause)s: %(message)s") % {"clause": positions[0], "message": message}
    elif positions:
        message = _("Clauses %(clauses)s: %(message)s") % {
            "clauses": ", ".join(str(p) for p in positions),
            "message": message,
        }
    raise ValidationError(message, code=code)


# ---------------------------------------------------------------- contradictions between the actions of one order


def _naming(actions: Iterable[Action], *, unit: int | None = None, person: int | None = None) -> list[Action]:
    return [a for a in actions if (unit is None or a.unit_id == unit) and (person is None or a.person_id == person)]


def _unit_name(action: Action) -> str:
    return action.unit.name if action.unit else ""


def _person_name(action: Action) -> str:
    return action.person.full_name if action.person else ""


def _one_action_per_person_and_unit(actions: list[Action]) -> None:
    pairs: dict[tuple[int, int], list[Action]] = defaultdict(list)
    for action in actions:
        if action.unit_id and action.person_id:
            pairs[action.unit_id, action.person_id].append(action)
    for named in pairs.values():
        if len(named) < 2:
            continue
        kinds = {a.kind for a in named}
        names = {"person": _person_name(named[0]), "unit": _unit_name(named[0])}
        if {ActionKind.INCLUDE, ActionKind.EXCLUDE} <= kinds:
            refuse(
                _("%(person)s is both included in «%(unit)s» and excluded from it: the order contradicts itself.")
                % names,
                code="include_and_exclude",
                actions=named,
            )
        if kinds == {ActionKind.APPOINT}:
            refuse(
                _("%(person)s is appointed twice in «%(unit)s», but a person holds one role in a unit at a time.")
                % names,
                code="two_roles_in_one_order",
                actions=named,
            )
        refuse(
            _(
                "%(person)s is named twice for «%(unit)s»: one action per person and unit "
                "(an appointment also places the person in the unit)."
            )
            % names,
            code="person_named_twice",
            actions=named,
        )


def _one_appointment_per_role(actions: list[Action]) -> None:
    roles: dict[tuple[int, str], list[Action]] = defaultdict(list)
    for action in actions:
        if action.kind == ActionKind.APPOINT and action.unit_id and action.role in SINGLE_ROLES:
            roles[action.unit_id, action.role].append(action)
    for named in roles.values():
        if len(named) > 1:
            refuse(
                _("two people are appointed %(role)s of «%(unit)s», but a unit has one at a time.")
                % {"role": MemberRole(named[0].role).label, "unit": _unit_name(named[0])},
                code="role_given_twice",
                actions=named,
            )


def _dissolved_unit_named_once(actions: list[Action]) -> None:
    for dissolve in [a for a in actions if a.kind == ActionKind.DISSOLVE and a.unit_id]:
        others = [a for a in _naming(actions, unit=dissolve.unit_id) if a.pk != dissolve.pk]
        if not others:
            continue
        names = {"unit": _unit_name(dissolve)}
        if any(a.kind == ActionKind.RENAME for a in others):
            refuse(
                _("«%(unit)s» is both renamed and dissolved: the order contradicts itself.") % names,
                code="rename_and_dissolve",
                actions=[dissolve, *others],
            )
        refuse(
            _("«%(unit)s» is dissolved by this order, so no other action of it may name the unit.") % names,
            code="dissolved_unit_named",
            actions=[dissolve, *others],
        )


def _one_rename_per_unit(actions: list[Action]) -> None:
    renames: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        if action.kind == ActionKind.RENAME and action.unit_id:
            renames[action.unit_id].append(action)
    for named in renames.values():
        if len(named) > 1:
            refuse(
                _("«%(unit)s» is renamed twice: give it one new name.") % {"unit": _unit_name(named[0])},
                code="renamed_twice",
                actions=named,
            )


#: Checks on the list of actions, before any is applied: actions of one order that contradict each other.
CONTRADICTIONS: tuple[Callable[[list[Action]], None], ...] = (
    _one_action_per_person_and_unit,
    _one_appointment_per_role,
    _dissolved_unit_named_once,
    _one_rename_per_unit,
)


def check_actions(actions: list[Action]) -> None:
    for check in CONTRADICTIONS:
        check(actions)


# ---------------------------------------------------------------- the run and what its actions name


def snapshot(day: datetime.date) -> frozenset[Row]:
    """Every membership active on `day`."""
    return frozenset(
        Row(*values)
        for values in Membership.objects.active_on(day).values_list("unit_id", "person_id", "role", "start_order_id")
    )


def expected_after(before: frozenset[Row], actions: list[Action], order: Order) -> frozenset[Row]:
    """The memberships of the day as the actions name them, worked out from `before` without the engine.

    An appointment gives the person the role (their former role in the unit ends) and the former holder of the
    role stays in the unit as a member: their being in the unit is named by no action. An inclusion adds a member,
    an exclusion ends the person's place in the unit, a dissolution ends every place in the unit, a cancellation
    ends what the cancelled order started and every place in the units it created. Nothing else changes."""
    state = set(before)
    for action in actions:
        unit, person = action.unit_id, action.person_id
        if action.kind == ActionKind.APPOINT:
            holders = {r for r in state if r.unit == unit and r.role == action.role and r.person != person}
            state -= holders | {r for r in state if r.unit == unit and r.person == person}
            state |= {Row(r.unit, r.person, MemberRole.MEMBER, order.pk) for r in holders}
            state.add(Row(unit or 0, person or 0, action.role, order.pk))
        elif action.kind == ActionKind.INCLUDE:
            state.add(Row(unit or 0, person or 0, MemberRole.MEMBER, order.pk))
        elif action.kind == ActionKind.EXCLUDE:
            state -= {r for r in state if r.unit == unit and r.person == person}
        elif action.kind == ActionKind.DISSOLVE:
            state -= {r for r in state if r.unit == unit}
        elif action.kind == ActionKind.CANCEL_ORDER:
            target = action.target_order_id
            created = set(Unit.objects.filter(created_by_order_id=target).values_list("pk", flat=True))
            state -= {r for r in state if r.start_order == target or r.unit in created}
    return frozenset(state)


@dataclass
class Run:
    """One application of an order: the structure of the day before and after it, and what the actions name."""

    order: Order
    day: datetime.date
    actions: list[Action]
    #: Sending and signing: the order is complete. While drafting (an action added) it may still lack actions.
    complete: bool
    before: frozenset[Row]
    expected: frozenset[Row]
    after: frozenset[Row] = field(default_factory=frozenset)

    @property
    def touched_units(self) -> set[int]:
        """The units whose memberships changed or that an action names."""
        return {r.unit for r in self.before ^ self.after} | {a.unit_id for a in self.actions if a.unit_id}

    def concerning(self, *, unit: int, person: int | None = None, start_order: int | None = None) -> list[Action]:
        """The actions behind a change of `unit` (and `person`): for the clause numbers of a refusal."""
        found = [
            a
            for a in self.actions
            if a.unit_id == unit
            and (person is None or a.person_id == person or a.kind in (ActionKind.APPOINT, ActionKind.DISSOLVE))
        ]
        found += [
            a
            for a in self.actions
            if a.kind == ActionKind.CANCEL_ORDER and (start_order is None or a.target_order_id == start_order)
        ]
        return found or self.actions


def _names(unit: int, person: int | None = None) -> dict[str, str]:
    names = {"unit": Unit.objects.get(pk=unit).name}
    if person is not None:
        names["person"] = Person.objects.get(pk=person).full_name
    return names


# ---------------------------------------------------------------- the invariants


def _one_holder_per_role(run: Run) -> None:
    holders: dict[tuple[int, str], list[Row]] = defaultdict(list)
    touched = run.touched_units  # a set difference of the whole structure: once, not per row
    for row in run.after:
        if row.role in SINGLE_ROLES and row.unit in touched:
            holders[row.unit, row.role].append(row)
    for (unit, role), rows in sorted(holders.items()):
        if len(rows) > 1:
            refuse(
                _("«%(unit)s» would have %(count)s people as its %(role)s at once; a unit has one at a time.")
                % {**_names(unit), "count": len(rows), "role": MemberRole(role).label},
                code="role_held_twice",
                actions=run.concerning(unit=unit),
            )


def _one_role_per_person(run: Run) -> None:
    places: dict[tuple[int, int], list[Row]] = defaultdict(list)
    touched = run.touched_units
    for row in run.after:
        if row.unit in touched:
            places[row.unit, row.person].append(row)
    for (unit, person), rows in sorted(places.items()):
        if len(rows) > 1:
            refuse(
                _("%(person)s would hold two roles in «%(unit)s» at once; a person holds one role in a unit at a time.")
                % _names(unit, person),
                code="two_roles_at_once",
                actions=run.concerning(unit=unit, person=person),
            )


def _no_empty_periods(run: Run) -> None:
    day = f"{run.day:%d.%m.%Y}"
    empty = Membership.objects.filter(end_order=run.order, start=F("end")).order_by("pk").first()
    if empty is not None:
        refuse(
            _("%(person)s would be in «%(unit)s» for no day at all: the place would start and end on %(day)s.")
            % {**_names(empty.unit_id, empty.person_id), "day": day},
            code="empty_membership",
            actions=run.concerning(unit=empty.unit_id, person=empty.person_id, start_order=empty.start_order_id),
        )
    unit = Unit.objects.filter(dissolved_by_order=run.order, created_on=F("dissolved_on")).order_by("pk").first()
    if unit is not None:
        refuse(
            _("«%(unit)s» would be created and dissolved on the same day, %(day)s.") % {"unit": unit.name, "day": day},
            code="empty_unit",
            actions=run.concerning(unit=unit.pk, start_order=unit.created_by_order_id),
        )


def _only_named_changes(run: Run) -> None:
    unnamed = sorted(run.after ^ run.expected)
    if unnamed:
        row = unnamed[0]
        refuse(
            _("the place of %(person)s in «%(unit)s» would change, but no action of the order names that change.")
            % _names(row.unit, row.person),
            code="unnamed_change",
            actions=run.concerning(unit=row.unit, person=row.person),
        )


def _headed_units_have_a_head(run: Run) -> None:
    headed = {r.unit for r in run.after if r.role == MemberRole.HEAD}
    units = (
        Unit.objects.active_on(run.day).filter(pk__in=run.touched_units - headed, kind__in=HEADED_KINDS).order_by("pk")
    )
    for unit in units:
        refuse(
            _(
                "«%(unit)s» (%(kind)s) would be left without a head. A creative group, an experimental lab and "
                "the methodological service always have one: appoint the head in the same order."
            )
            % {"unit": unit.name, "kind": unit.get_kind_display()},
            code="unit_without_head",
            actions=run.concerning(unit=unit.pk),
        )


@dataclass(frozen=True)
class Invariant:
    name: str
    #: The rule, as the README states it.
    rule: str
    check: Callable[[Run], None]
    #: Checked only when the order is complete (sending, signing): it is drafted one action at a time.
    when_complete: bool = False


#: Checked on the structure after the order's last action, in the dry run and at signing.
INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "one_holder_per_role",
        "A unit has at most one head, one deputy and one secretary at a time.",
        _one_holder_per_role,
    ),
    Invariant("one_role_per_person", "A person holds one role in a unit at a time.", _one_role_per_person),
    Invariant(
        "no_empty_periods",
        "No membership, and no unit, starts and ends on the same day.",
        _no_empty_periods,
    ),
    Invariant(
        "only_named_changes",
        "Nothing changes that no action names: the memberships of the day after the order are exactly those its "
        "actions describe (the former holder of a role stays in the unit as a member).",
        _only_named_changes,
    ),
    Invariant(
        "headed_units_have_a_head",
        "A creative group, an experimental lab and the methodological service have a head from the day they are "
        "created until they are dissolved.",
        _headed_units_have_a_head,
        when_complete=True,
    ),
)

#: Every rule an order keeps, for the README and the tests.
RULES: tuple[str, ...] = (
    "One action per person and unit in an order; an inclusion and an exclusion of the same person contradict.",
    "One appointment per role of a unit in an order.",
    "A unit the order dissolves is named by no other of its actions (no rename and dissolve).",
    "One rename per unit in an order.",
    *(invariant.rule for invariant in INVARIANTS),
)


def check_invariants(run: Run) -> None:
    for invariant in INVARIANTS:
        if run.complete or not invariant.when_complete:
            invariant.check(run)
