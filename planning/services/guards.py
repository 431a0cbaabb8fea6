"""Guards the apps above planning put on its writes.

An app above planning (attestation: the commission's question of an attestation case) keeps records that live in a
meeting's protocol: the question's title, decision and votes, the meeting's date, the attendance behind the vote.
Planning never imports those apps (the layers), so they register their checks here when Django starts
(attestation.apps.AttestationConfig.ready) and planning's services ask them:

- `agenda_update` and `agenda_delete` ask the agenda guards, which may refuse the change of a question they own;
  the owning app's own services pass `by_owner=True` after their own checks;
- `meeting_update` asks the meeting guards when the date changes;
- `protocol_sign` runs the protocol checks over the whole protocol before any signature, then tells the signed
  hooks (the owning app brings its own records in line with the signed protocol, in the same transaction);
- the meeting's page asks the owners which of its questions they own (`owned_questions`): such a question shows
  where it is handled (the attestation case) instead of «Удалить вопрос», which its guard would refuse.

Each guard and check refuses by raising a ValidationError with a code; planning's pages show it like their own.
Registering the same function again does nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from ..models import AgendaItem, Meeting

#: (the question as stored, the new values — None when it is deleted) → None, or a ValidationError.
AgendaGuard = Callable[[AgendaItem, dict[str, Any] | None], None]
#: (the meeting as stored, its new date) → None, or a ValidationError.
MeetingGuard = Callable[[Meeting, datetime.date], None]
#: (the meeting about to be signed, locked) → None, or a ValidationError.
ProtocolCheck = Callable[[Meeting], None]

_agenda_guards: list[AgendaGuard] = []
_meeting_guards: list[MeetingGuard] = []
_protocol_checks: list[ProtocolCheck] = []
_signed_hooks: list[ProtocolCheck] = []
#: (the ids of a meeting's questions) → {question id: (what owns it, its URL)}, one query at most.
AgendaOwner = Callable[[list[int]], dict[int, tuple[str, str]]]
_agenda_owners: list[AgendaOwner] = []


def _register(registry: list, function) -> None:
    if function not in registry:
        registry.append(function)


def register_agenda_guard(guard: AgendaGuard) -> None:
    _register(_agenda_guards, guard)


def register_meeting_guard(guard: MeetingGuard) -> None:
    _register(_meeting_guards, guard)


def register_protocol_check(check: ProtocolCheck) -> None:
    _register(_protocol_checks, check)


def register_protocol_signed(hook: ProtocolCheck) -> None:
    _register(_signed_hooks, hook)


def register_agenda_owner(owner: AgendaOwner) -> None:
    _register(_agenda_owners, owner)


def owned_questions(item_ids: list[int]) -> dict[int, tuple[str, str]]:
    """The questions among `item_ids` that an app above planning owns, with a label and a link; no query when
    there is no question."""
    owned: dict[int, tuple[str, str]] = {}
    if item_ids:
        for owner in _agenda_owners:
            owned.update(owner(item_ids))
    return owned


def check_agenda_change(item: AgendaItem, changes: dict[str, Any] | None) -> None:
    for guard in _agenda_guards:
        guard(item, changes)


def check_meeting_date(meeting: Meeting, date: datetime.date) -> None:
    for guard in _meeting_guards:
        guard(meeting, date)


def check_protocol(meeting: Meeting) -> None:
    for check in _protocol_checks:
        check(meeting)


def protocol_signed(meeting: Meeting) -> None:
    for hook in _signed_hooks:
        hook(meeting)
