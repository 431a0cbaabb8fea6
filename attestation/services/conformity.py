"""Attestation for conformity to the position (аттестация на соответствие занимаемой должности) by the college's
attestation commission (DOMAIN.md "Attestation"; Приказ Минпросвещения № 196, пп. 8–21).

The steps, each a function here:

1. `conformity_open`: the methodist or the deputy opens a case for a teaching staff member (PLANNED);
2. `presentation_save`: they draft and edit the employer's представление (DOCUMENTS) until the teacher signs it;
3. `presentation_acknowledge`: the teacher acknowledges it under signature, on a day, and may add information
   (SUBMITTED; `addition_save` replaces that information until the day of the sitting);
4. `sitting_plan`: the sitting is a meeting of the attestation commission (planning) of at least
   settings.ATTESTATION_COMMISSION_MIN_MEMBERS members: the case's question goes on its agenda, at least 30
   calendar days after the acknowledgement; planning again moves the question;
5. `decision_record`: after the sitting, the open vote and the decision are the question's (planning's votes and
   attendance checks apply), carried by more than half of the members present who vote — the person being
   attested, a member of the commission, does not (DECIDED);
6. the extract of the protocol is printed from the signed protocol's snapshot (attestation.selectors.conformity);
   `extract_acknowledge`: the teacher signs that they received it.

Who may call which is the rules' business (attestation/rules/conformity.py); these functions check the case's state
and the data, lock the case while they change it, and refuse with a ValidationError carrying a code, writing
nothing:

- `not_conformity` (a category case), `case_closed` (decided or withdrawn), `own_case` (the methodist or the
  deputy acting on their own attestation);
- opening: `not_pedagogical` (not on the staff, or not in a teaching position), `exempt` (the schedule exempts the
  person on that day: the reason and until when; checked again at the sitting and the decision), `case_open` (an
  open conformity case exists);
- the представление: `presentation_empty`, `presentation_acknowledged` (the teacher signed that text: it is frozen);
- acknowledging: `not_case_person` (only the person), `no_presentation`, `already_acknowledged`,
  `acknowledged_in_future`, `acknowledged_before_presentation`;
- the teacher's information: `not_case_person`, `not_acknowledged`, `sitting_held` (the sitting's day has come);
- the sitting: `not_acknowledged`, `not_commission` (a meeting of another unit), `meeting_signed` (its protocol
  carries a signature), `sitting_too_soon` (fewer than 30 days after the acknowledgement; the message gives the
  earliest day), `commission_too_small`, `exempt` (today or on the sitting's day);
- the decision: `not_planned`, `wrong_decision` (only «соответствует» / «не соответствует»), `votes_required`,
  `sitting_not_held` (the meeting is after today), `meeting_signed`, `sitting_too_soon` (checked again against the
  meeting's date now: a meeting may have been moved since), `commission_too_small`, `exempt` (on the sitting's
  day), planning's `votes_negative`, `votes_before_attendance`, `votes_exceed_present` unchanged,
  `votes_exceed_voters` (more votes than members present who vote), `no_majority`;
- withdrawal (attestation.services.cases.case_withdraw asks `check_withdrawal`): `not_employer` — the attestation is
  compulsory, only the methodist or the deputy withdraws it;
- planning's own pages (the guards below, registered by attestation.apps): `attestation_question` (the question's
  title, decision or votes edited, or the question deleted, there), `sitting_too_soon` (the meeting moved too
  soon); signing a protocol with a case's question: `case_not_decided`, `decision_mismatch` (РЕШИЛИ is not the
  case's decision), and again `sitting_too_soon`, `commission_too_small`, `exempt`, `votes_required`,
  `votes_exceed_voters`, `no_majority` on the protocol as it is then;
- the extract: `extract_not_ready` (the protocol is not signed), `already_acknowledged`, `acknowledged_in_future`,
  `acknowledged_before_protocol`.

The decision may be recorded again (corrected) while the protocol is not signed. Once it is signed, the meeting is
locked (planning), the case carries the meeting's date as the day of the sitting and the decision, and the extract
and the case's panel print the frozen protocol, whatever happens to live rows afterwards.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metodservice.common.agreement import agree
from planning import services as planning
from planning.models import AgendaItem, Attendance, Meeting
from planning.signing import attendance_counts
from structure import wording
from structure.models import Membership, Person, SystemRole, UnitKind
from structure.wording import name_accusative, quoted

from .. import schedule
from ..models import AttestationCase, CaseDecision, CaseKind, CaseStatus
from ..selectors import schedule as schedule_selectors

#: The представление is shown to the teacher at least this many calendar days before the sitting (п. 16).
DAYS_BEFORE_SITTING = 30
#: The decisions of the college's commission.
DECISIONS = (CaseDecision.CONFORMS, CaseDecision.DOES_NOT_CONFORM)


# ---------------------------------------------------------------- wording (document text: Russian, not translated)


def name_genitive(person: Person) -> str | None:
    """«Ивановой Марии Петровны», or None for a name the rules can't be trusted with (structure.wording)."""
    return wording.name_genitive(person.last_name, person.first_name, person.patronymic, person.grammatical_gender)


def _position_name(person: Person) -> str:
    """«преподаватель»: the position as a quoted name in the text (an abbreviation keeps its capitals)."""
    name = person.position.name if person.position is not None else ""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def question_title(person: Person) -> str:
    """«Об аттестации Ивановой Марии Петровны на соответствие занимаемой должности «преподаватель»»; a name that
    does not decline follows in the nominative after a colon."""
    position = quoted(_position_name(person))
    genitive = name_genitive(person)
    if genitive is None:
        return f"Об аттестации на соответствие занимаемой должности {position}: {person.full_name}"
    return f"Об аттестации {genitive} на соответствие занимаемой должности {position}"


def decision_text(person: Person, decision: str) -> str:
    """«Признать Иванову Марию Петровну соответствующей занимаемой должности «преподаватель».» (or «не
    соответствующей»), agreeing with the person's gender; «соответствующим(ей)» when nothing tells it."""
    adjective = agree(
        person.grammatical_gender,
        masculine="соответствующим",
        feminine="соответствующей",
        neutral="соответствующим(ей)",
    )
    if decision == CaseDecision.DOES_NOT_CONFORM:
        adjective = f"не {adjective}"
    position = quoted(_position_name(person))
    accusative = name_accusative(person.last_name, person.first_name, person.patronymic, person.grammatical_gender)
    if accusative is None:
        return f"Признать {adjective} занимаемой должности {position}: {person.full_name}."
    return f"Признать {accusative} {adjective} занимаемой должности {position}."


def heard_text(case: AttestationCase) -> str:
    """What the commission heard: the employer's представление and, if any, the teacher's own information."""
    person = case.person
    genitive = name_genitive(person) or person.full_name
    text = f"Представление работодателя о профессиональной деятельности {genitive}"
    if case.teacher_addition:
        text += ", дополнительные сведения, представленные аттестуемым"
    return text + "."


# ---------------------------------------------------------------- checks


def _locked(case: AttestationCase) -> AttestationCase:
    return (
        AttestationCase.objects.select_for_update(of=("self",))
        .select_related("person__position", "agenda_item__meeting__unit")
        .get(pk=case.pk)
    )


def _require_conformity(case: AttestationCase, *, open_only: bool = True) -> None:
    if case.kind != CaseKind.CONFORMITY:
        raise ValidationError(_("This is not an attestation for conformity to the position."), code="not_conformity")
    if open_only and not case.is_open:
        raise ValidationError(
            _("The case is closed: it is now «%(status)s».") % {"status": case.get_status_display()},
            code="case_closed",
        )


def _not_own(case: AttestationCase, by: Person) -> None:
    if case.person_id == by.pk:
        raise ValidationError(
            _("You cannot act for the employer on your own attestation: another methodist or the deputy does it."),
            code="own_case",
        )


def _day(value: datetime.date) -> str:
    return f"{value:%d.%m.%Y}"


def _check_signature_day(on: datetime.date | None, today: datetime.date) -> None:
    """The day the teacher signed (the representation, the extract): given, and not after today."""
    if on is None:
        raise ValidationError({"on": ValidationError(_("Enter the date."), code="required")})
    if on > today:
        raise ValidationError(
            {"on": ValidationError(_("The date cannot be in the future."), code="acknowledged_in_future")}
        )


def earliest_sitting(acknowledged_on: datetime.date) -> datetime.date:
    """The first day a sitting may take place: 30 calendar days after the acknowledgement."""
    return acknowledged_on + datetime.timedelta(days=DAYS_BEFORE_SITTING)


def _check_sitting_date(case: AttestationCase, day: datetime.date) -> None:
    """The sitting on `day` is at least 30 calendar days after the acknowledgement (`sitting_too_soon`)."""
    assert case.acknowledged_on is not None
    earliest = earliest_sitting(case.acknowledged_on)
    if day < earliest:
        raise ValidationError(
            _(
                "The sitting on %(date)s is less than 30 calendar days after the teacher acknowledged the "
                "representation (%(acknowledged)s): the earliest allowed date is %(earliest)s."
            )
            % {"date": _day(day), "acknowledged": _day(case.acknowledged_on), "earliest": _day(earliest)},
            code="sitting_too_soon",
        )


def _check_not_exempt(person: Person, *days: datetime.date) -> None:
    """Refuse (`exempt`) when the schedule exempts the person on any of `days` (DOMAIN.md: a category in force, less
    than 2 years in the position, a leave…): the reason and until when."""
    record = schedule_selectors.own_record(person)
    for day in days:
        status = schedule.schedule(record, day)
        if status.status != schedule.EXEMPT:
            continue
        exemption = status.exemptions[0]
        reason = schedule_selectors.REASON_LABELS.get(exemption.reason, exemption.reason)
        if exemption.until is None:
            message = _("%(person)s is exempt from conformity attestation (%(reason)s), with no end date known.")
        else:
            message = _("%(person)s is exempt from conformity attestation (%(reason)s) until %(until)s inclusive.")
        raise ValidationError(
            message
            % {"person": person.full_name, "reason": reason, "until": _day(exemption.until) if exemption.until else ""},
            code="exempt",
        )


def commission_members(meeting: Meeting) -> int:
    """How many people are members of the meeting's unit (the commission) on the meeting's day."""
    return (
        Membership.objects.active_on(meeting.date)
        .filter(unit_id=meeting.unit_id)
        .values("person_id")
        .distinct()
        .count()
    )


def _check_commission(meeting: Meeting) -> None:
    """The commission sits with at least settings.ATTESTATION_COMMISSION_MIN_MEMBERS members on the meeting's day
    (`commission_too_small`)."""
    minimum = settings.ATTESTATION_COMMISSION_MIN_MEMBERS
    members = commission_members(meeting)
    if members < minimum:
        raise ValidationError(
            _(
                "The attestation commission has %(members)s members on %(date)s; it sits with at least %(minimum)s: "
                "complete its membership first."
            )
            % {"members": members, "date": _day(meeting.date), "minimum": minimum},
            code="commission_too_small",
        )


def voters(case: AttestationCase, attendance) -> int:
    """Who votes on the case's question: the members present, but the person being attested (a member of the
    commission does not vote on their own attestation)."""
    return sum(1 for row in attendance if row.present is True and row.person_id != case.person_id)


def _check_vote(case: AttestationCase, meeting: Meeting, votes: tuple[int | None, int | None, int | None]) -> None:
    """The open vote: given (`votes_required`), at most those who vote (`votes_exceed_voters`), and more than half of
    them for the decision (`no_majority`)."""
    votes_for = votes[0]
    if votes_for is None:
        raise ValidationError(
            {"votes_for": ValidationError(_("Enter the votes: the vote is open."), code="votes_required")}
        )
    attendance = list(Attendance.objects.filter(meeting=meeting))
    present = attendance_counts(attendance)["present"]
    voting = voters(case, attendance)
    attested_present = voting < present
    total = sum(v or 0 for v in votes)
    if total > voting:
        raise ValidationError(
            _(
                "For, against and abstained add up to %(total)s, more than the %(voters)s members who vote: the "
                "teacher being attested does not vote on their own attestation, guests do not vote."
            )
            % {"total": total, "voters": voting},
            code="votes_exceed_voters",
        )
    if 2 * votes_for <= voting:
        if attested_present:
            message = _(
                "The decision needs more than half of the members who vote: %(for)s for of %(voters)s (those "
                "present but the teacher being attested) is not a majority."
            ) % {"for": votes_for, "voters": voting}
        else:
            message = _(
                "The decision needs more than half of the members present: %(for)s for of %(present)s present is "
                "not a majority."
            ) % {"for": votes_for, "present": present}
        raise ValidationError(message, code="no_majority")


def _meeting_open(meeting: Meeting) -> bool:
    return not (meeting.is_locked or meeting.chair_signed_at or meeting.secretary_signed_at)


def _require_meeting_open(meeting: Meeting) -> None:
    if not _meeting_open(meeting):
        raise ValidationError(
            _("The protocol of the meeting of %(date)s is signed: its agenda and decisions can no longer change.")
            % {"date": _day(meeting.date)},
            code="meeting_signed",
        )


# ---------------------------------------------------------------- opening


@transaction.atomic
def conformity_open(*, person: Person, by: Person, today: datetime.date | None = None) -> AttestationCase:
    """A new conformity case of `person` (PLANNED), opened by the methodist or the deputy."""
    today = today or timezone.localdate()
    person = Person.objects.select_for_update(of=("self",)).select_related("position").get(pk=person.pk)
    if person.pk == by.pk:
        raise ValidationError(
            _("You cannot open your own attestation: another methodist or the deputy does it."), code="own_case"
        )
    if person.is_external or person.position is None or not person.position.is_pedagogical:
        raise ValidationError(
            _("%(person)s is not in a teaching position of the college: conformity attestation does not apply.")
            % {"person": person.full_name},
            code="not_pedagogical",
        )
    _check_not_exempt(person, today)
    if any(
        case.is_open
        for case in AttestationCase.objects.filter(person=person, kind=CaseKind.CONFORMITY).only("pk", "status")
    ):
        raise ValidationError(
            _("%(person)s already has an open attestation for conformity to the position.")
            % {"person": person.full_name},
            code="case_open",
        )
    return AttestationCase.objects.create(
        person=person, kind=CaseKind.CONFORMITY, status=CaseStatus.PLANNED, created_by=by
    )


# ---------------------------------------------------------------- the представление


@transaction.atomic
def presentation_save(*, case: AttestationCase, by: Person, text: str) -> AttestationCase:
    """Draft or edit the employer's представление; the case waits for the teacher's signature (DOCUMENTS)."""
    case = _locked(case)
    _require_conformity(case)
    _not_own(case, by)
    if case.acknowledged_on is not None:
        raise ValidationError(
            _("The teacher acknowledged the representation on %(date)s: the text they signed cannot change.")
            % {"date": _day(case.acknowledged_on)},
            code="presentation_acknowledged",
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Write the representation."), code="presentation_empty")})
    case.presentation = text
    case.presentation_by = by
    case.presentation_at = timezone.now()
    case.status = CaseStatus.DOCUMENTS
    case.save()
    return case


@transaction.atomic
def presentation_acknowledge(
    *,
    case: AttestationCase,
    by: Person,
    on: datetime.date,
    addition: str = "",
    today: datetime.date | None = None,
) -> AttestationCase:
    """The teacher signs that they have read the представление on `on` (SUBMITTED), adding information if they wish."""
    today = today or timezone.localdate()
    case = _locked(case)
    _require_conformity(case)
    if case.person_id != by.pk:
        raise ValidationError(
            _("Only the teacher being attested acknowledges the representation."), code="not_case_person"
        )
    if not case.presentation or case.presentation_at is None:
        raise ValidationError(_("The representation has not been written yet."), code="no_presentation")
    if case.acknowledged_on is not None:
        raise ValidationError(
            _("You acknowledged the representation on %(date)s.") % {"date": _day(case.acknowledged_on)},
            code="already_acknowledged",
        )
    _check_signature_day(on, today)
    drafted = timezone.localdate(case.presentation_at)
    if on < drafted:
        raise ValidationError(
            {
                "on": ValidationError(
                    _("The representation was written on %(date)s: it cannot be acknowledged before.")
                    % {"date": _day(drafted)},
                    code="acknowledged_before_presentation",
                )
            }
        )
    case.acknowledged_on = on
    case.submitted_on = on
    case.teacher_addition = (addition or "").strip()
    case.status = CaseStatus.SUBMITTED
    case.save()
    return case


def sitting_day(case: AttestationCase) -> datetime.date | None:
    """The day of the sitting the case's question is on (the meeting's date now), or None while not planned."""
    item = case.agenda_item
    return item.meeting.date if item is not None else None


@transaction.atomic
def addition_save(
    *, case: AttestationCase, by: Person, text: str, today: datetime.date | None = None
) -> AttestationCase:
    """The teacher adds or replaces their information for the commission (empty: removes it), after acknowledging
    the representation and until the day of the sitting: what the commission heard does not change afterwards."""
    today = today or timezone.localdate()
    case = _locked(case)
    _require_conformity(case)
    if case.person_id != by.pk:
        raise ValidationError(_("Only the teacher being attested adds their information."), code="not_case_person")
    if case.acknowledged_on is None:
        raise ValidationError(
            _("Acknowledge the representation first: your information is added to it."), code="not_acknowledged"
        )
    held = sitting_day(case)
    if held is not None and held <= today:
        raise ValidationError(
            _("The sitting of the commission was on %(date)s: the information it heard can no longer change.")
            % {"date": _day(held)},
            code="sitting_held",
        )
    case.teacher_addition = (text or "").strip()
    case.save()
    return case


# ---------------------------------------------------------------- the sitting


@transaction.atomic
def sitting_plan(
    *, case: AttestationCase, meeting: Meeting, by: Person, today: datetime.date | None = None
) -> AttestationCase:
    """Put the case's question on the agenda of a meeting of the attestation commission (moving it from another
    meeting whose protocol is still open). The commission has its least number of members on that day, and the
    person is not exempt today nor on the day of the sitting."""
    today = today or timezone.localdate()
    case = _locked(case)
    _require_conformity(case)
    _not_own(case, by)
    if case.acknowledged_on is None:
        raise ValidationError(
            _("The teacher has not acknowledged the representation yet: the sitting is planned after that."),
            code="not_acknowledged",
        )
    meeting = Meeting.objects.select_related("unit").get(pk=meeting.pk)
    if meeting.unit.kind != UnitKind.ATTESTATION_COMMISSION:
        raise ValidationError(
            {
                "meeting": ValidationError(
                    _("«%(unit)s» is not the attestation commission.") % {"unit": meeting.unit.name},
                    code="not_commission",
                )
            }
        )
    _require_meeting_open(meeting)
    _check_sitting_date(case, meeting.date)
    _check_commission(meeting)
    _check_not_exempt(case.person, today, meeting.date)
    old = case.agenda_item
    if old is not None and old.meeting_id == meeting.pk:
        return case  # already on that meeting's agenda
    if old is not None and _meeting_open(old.meeting):
        case.agenda_item = None
        case.save(update_fields=["agenda_item"])
        planning.agenda_delete(item=old, by_owner=True)
    item = planning.agenda_add(meeting=meeting, title=question_title(case.person), speaker=case.presentation_by or by)
    case.agenda_item = item
    case.sitting_on = meeting.date
    case.save()
    return case


@transaction.atomic
def sitting_release(*, case: AttestationCase) -> AttestationCase:
    """Take the case's question off the agenda of a meeting whose protocol is still open (a withdrawn case: the
    common withdrawal calls it). A question in a signed protocol stays where it is: the protocol is a record."""
    case = _locked(case)
    item = case.agenda_item
    if item is None or not _meeting_open(item.meeting):
        return case
    case.agenda_item = None
    case.save(update_fields=["agenda_item"])
    planning.agenda_delete(item=item, by_owner=True)
    return case


# ---------------------------------------------------------------- the decision


@transaction.atomic
def decision_record(
    *,
    case: AttestationCase,
    by: Person,
    decision: str,
    votes_for: int | None,
    votes_against: int | None,
    votes_abstained: int | None,
    today: datetime.date | None = None,
) -> AttestationCase:
    """The commission's decision and its open vote, written as the question's РЕШИЛИ and votes (DECIDED)."""
    today = today or timezone.localdate()
    case = _locked(case)
    if case.status == CaseStatus.DECIDED:
        _require_conformity(case, open_only=False)  # a correction, while the protocol is open (checked below)
    else:
        _require_conformity(case)
    _not_own(case, by)
    if decision not in DECISIONS:
        raise ValidationError(
            {
                "decision": ValidationError(
                    _("The commission decides «conforms to the position» or «does not conform to the position»."),
                    code="wrong_decision",
                )
            }
        )
    if votes_for is None:
        raise ValidationError(
            {"votes_for": ValidationError(_("Enter the votes: the vote is open."), code="votes_required")}
        )
    item = case.agenda_item
    if item is None:
        raise ValidationError(_("The sitting has not been planned."), code="not_planned")
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _require_meeting_open(meeting)
    if meeting.date > today:
        raise ValidationError(
            _("The sitting is on %(date)s: its decision is recorded once it has taken place.")
            % {"date": _day(meeting.date)},
            code="sitting_not_held",
        )
    _check_sitting_date(case, meeting.date)
    _check_commission(meeting)
    _check_not_exempt(case.person, meeting.date)
    votes = (votes_for, votes_against or 0, votes_abstained or 0)
    item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    planning.agenda_update(
        item=item,
        title=item.title,
        speaker=item.speaker,
        plan_item=item.plan_item,
        plan=item.plan,
        heard=item.heard or heard_text(case),
        spoke=item.spoke,
        decided=decision_text(case.person, decision),
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstained=votes[2],
        by_owner=True,
    )
    _check_vote(case, meeting, votes)  # after planning's own checks of the votes against the attendance
    case.decision = decision
    case.decided_on = meeting.date
    case.sitting_on = meeting.date
    case.status = CaseStatus.DECIDED
    case.save()
    return case


# ---------------------------------------------------------------- the extract


@transaction.atomic
def extract_acknowledge(
    *, case: AttestationCase, by: Person, on: datetime.date, today: datetime.date | None = None
) -> AttestationCase:
    """The teacher signs that they received the extract of the signed protocol, on `on`."""
    today = today or timezone.localdate()
    case = _locked(case)
    _require_conformity(case, open_only=False)
    if case.person_id != by.pk:
        raise ValidationError(_("Only the teacher being attested acknowledges the extract."), code="not_case_person")
    meeting = case.agenda_item.meeting if case.agenda_item is not None else None
    if meeting is None or not meeting.is_signed or case.status != CaseStatus.DECIDED:
        raise ValidationError(
            _("The extract is issued once the commission's protocol is signed."), code="extract_not_ready"
        )
    if case.extract_acknowledged_on is not None:
        raise ValidationError(
            _("You acknowledged the extract on %(date)s.") % {"date": _day(case.extract_acknowledged_on)},
            code="already_acknowledged",
        )
    _check_signature_day(on, today)
    if on < meeting.date:
        raise ValidationError(
            {
                "on": ValidationError(
                    _("The protocol is of %(date)s: its extract cannot be received before.")
                    % {"date": _day(meeting.date)},
                    code="acknowledged_before_protocol",
                )
            }
        )
    case.extract_acknowledged_on = on
    case.save()
    return case


# ---------------------------------------------------------------- withdrawal (attestation.services.cases.case_withdraw)


def check_withdrawal(*, case: AttestationCase, by: Person) -> None:
    """Conformity attestation is compulsory (п. 8): only the methodist or the deputy withdraws the case (the teacher
    leaves the college, falls under an exemption…), never the person being attested (`not_employer`)."""
    position = by.position
    employer = position is not None and position.system_role in (SystemRole.METHODIST, SystemRole.DEPUTY)
    if case.person_id == by.pk or not employer:
        raise ValidationError(
            _(
                "Attestation for conformity to the position is compulsory: only the methodist or the deputy "
                "withdraws the case, never the teacher being attested."
            ),
            code="not_employer",
        )


# ---------------------------------------------------------------- planning's guards (attestation.apps registers them)
#
# The case's question lives in planning's protocol, which planning edits on its own pages. Planning asks these
# (planning.services.guards): its pages never change the title, the decision or the votes of a case's question nor
# delete it, never move the sitting to less than 30 days after the acknowledgement, and a protocol holding a case's
# question is signed only while the case's decision still holds on it.

#: What planning's pages may not change on a case's question (the case's services write them).
GUARDED_FIELDS = ("title", "decided", "votes_for", "votes_against", "votes_abstained")


def _questions_on(meeting: Meeting) -> list[AttestationCase]:
    return list(
        AttestationCase.objects.filter(kind=CaseKind.CONFORMITY, agenda_item__meeting=meeting)
        .select_related("person__position", "agenda_item")
        .order_by("agenda_item__position", "pk")
    )


def _on_question(case: AttestationCase, error: ValidationError) -> ValidationError:
    """The refusal `error` about the case's question, for planning's pages: which question, whose attestation; the
    code is kept."""
    if hasattr(error, "error_dict"):
        code = next((e.code for errors in error.error_dict.values() for e in errors), None)
    else:
        code = next((e.code for e in error.error_list), None)
    assert case.agenda_item is not None
    return ValidationError(
        _("Question No. %(number)s (the attestation of %(person)s): %(reason)s")
        % {"number": case.agenda_item.position, "person": case.person.full_name, "reason": " ".join(error.messages)},
        code=code,
    )


def guard_agenda_item(item: AgendaItem, changes: dict | None) -> None:
    """Planning's agenda_update / agenda_delete on a case's question: refused (`attestation_question`) unless only
    what the case does not own changes (СЛУШАЛИ, ВЫСТУПИЛИ, the speaker, the plan)."""
    case = AttestationCase.objects.filter(agenda_item_id=item.pk).select_related("person").first()
    if case is None:
        return
    if changes is None:
        message = _(
            "Question No. %(number)s is the attestation of %(person)s for conformity to the position: it leaves the "
            "agenda only through the case (another sitting planned, the case withdrawn)."
        )
    else:
        stored = AgendaItem.objects.get(pk=item.pk)
        if all(changes.get(field) == getattr(stored, field) for field in GUARDED_FIELDS):
            return
        message = _(
            "Question No. %(number)s is the attestation of %(person)s for conformity to the position: its title, "
            "decision and votes are recorded on the case's page, not here."
        )
    raise ValidationError(
        message % {"number": item.position, "person": case.person.full_name}, code="attestation_question"
    )


def guard_meeting_date(meeting: Meeting, date: datetime.date) -> None:
    """Planning's meeting_update moving a meeting: refused (`sitting_too_soon`) to a day less than 30 days after
    the acknowledgement of any case whose question is on it."""
    for case in _questions_on(meeting):
        if case.acknowledged_on is None:
            continue
        try:
            _check_sitting_date(case, date)
        except ValidationError as error:
            raise _on_question(case, error) from error


def _check_signable(case: AttestationCase, meeting: Meeting) -> None:
    item = case.agenda_item
    assert item is not None
    if case.status != CaseStatus.DECIDED or case.decision not in DECISIONS:
        raise ValidationError(
            _("The commission's decision has not been recorded: record it on the attestation case's page."),
            code="case_not_decided",
        )
    _check_sitting_date(case, meeting.date)
    _check_commission(meeting)
    _check_not_exempt(case.person, meeting.date)
    if item.decided != decision_text(case.person, case.decision):
        raise ValidationError(
            _("РЕШИЛИ does not say the case's decision «%(decision)s»: record the decision again on the case's page.")
            % {"decision": case.get_decision_display()},
            code="decision_mismatch",
        )
    _check_vote(case, meeting, (item.votes_for, item.votes_against, item.votes_abstained))


def check_protocol(meeting: Meeting) -> None:
    """Planning's protocol_sign: every case's question on the meeting still holds — decided, 30 days after the
    acknowledgement on the meeting's date now, the commission large enough, the person not exempt, РЕШИЛИ the
    case's decision, the vote within those who vote (the attested member does not) and carried by more than half
    of them. Attendance changed after the decision is caught here."""
    for case in _questions_on(meeting):
        try:
            _check_signable(case, meeting)
        except ValidationError as error:
            raise _on_question(case, error) from error


def protocol_signed(meeting: Meeting) -> None:
    """Planning's protocol_sign, after a signature: the decided cases on the meeting carry its date as the day of
    the sitting and of the decision (the meeting may have been moved since the decision was recorded)."""
    for case in _questions_on(meeting):
        if case.status == CaseStatus.DECIDED and (case.decided_on, case.sitting_on) != (meeting.date, meeting.date):
            case.decided_on = case.sitting_on = meeting.date
            case.save(update_fields=["decided_on", "sitting_on"])
