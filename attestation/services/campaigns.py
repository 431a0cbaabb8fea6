"""Diagnostics campaigns and assessments: drafting a campaign, opening it (participants and experts fixed, every
assessment task created), closing it; saving and submitting an assessment.

Who may call which is the rules' business (attestation/rules/campaigns.py); these functions check the data and the
state, lock the row they change, and refuse with a ValidationError carrying a code, writing nothing.

*A campaign* (`campaign_create`, `campaign_update`: the methodist or the deputy, while it is a draft):
`required`; `window_reversed` (the window closes before it opens); `window_outside_year` (the window must lie inside
the academic year); `framework_empty` (a framework without any assessed competency); `unit_required` (scope «a
unit» without one); `empty_scope` (nobody on the teaching staff to assess); `not_teaching_staff` (a chosen person is
not on the teaching staff: an external researcher, or a post that is not a teaching one); `expert_not_staff` (a named
expert outside the college's staff); `campaign_not_draft` (editing or deleting a campaign that has been opened).

*Who is assessed and by whom* is resolved when the draft is saved, and shown on its page: all teaching staff, the
teaching staff among a unit's members on the window's first day, or the chosen people; the experts are each person's
association head(s) on the window's first day (nobody is their own expert: a head has none unless named), or the
named experts for everyone. A person without an expert gets none; the page says so. Saving the draft again resolves
it again (e.g. after the structure changed).

*Opening* (`campaign_open`) fixes the participants, creates each self-assessment task and each expert's task (drafts
without scores) and freezes the framework (a framework with a campaign is not edited: a change goes into a copy).
Refused: `already_open` (opening twice, or a closed campaign), `empty_scope`, `not_teaching_staff` (someone left the
teaching staff since the draft was saved: save it again), `window_passed` (the window's last day is before today).
*Closing* (`campaign_close`): `campaign_not_open`. The window is the rule for writing: after its last day nothing is
saved even while the status says open; the methodist closes the campaign afterwards (or earlier, which stops it).

*An assessment* (`assessment_save`: by its assessor only): `not_assessor`; `campaign_not_open`; `window_not_open`
(before the first day), `window_closed` (after the last day; both days included in the window);
`assessment_submitted` (a submitted assessment is fixed); `level_out_of_scale`; `unknown_competency` (not an
assessed competency of the campaign's framework — generalised functions are not assessed); `evidence_link` (a link
that is not http(s)); `level_required` (a comment or a link without a level); `incomplete` (submitting needs a level for every assessed
competency).
`assessment_for` finds (or, if it is missing, creates) the task of an assessor for a participant: `not_participant`
(the person is not in the campaign), `not_assessor` (a self-assessment is the person's own; an expert assessment is
by one of the participant's experts).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from metodservice.common.models import NotificationKind
from metodservice.common.notifications import notify
from planning.models import AcademicYear
from planning.services.execution import evidence_link_validator
from structure.models import ASSOCIATION_KINDS, MemberRole, Membership, Person, Unit

from ..models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    CampaignParticipant,
    CampaignScope,
    CampaignStatus,
    Competency,
    CompetencyFramework,
    CompetencyKind,
    DiagnosticCampaign,
    Score,
)

#: The kinds of competency that are assessed (a generalised function only groups its functions).
ASSESSED_KINDS = (CompetencyKind.FUNCTION, CompetencyKind.INDICATOR)

#: How the experts are chosen: each person's association head(s), or the same named experts for everyone.
EXPERTS_HEADS = "heads"
EXPERTS_NAMED = "named"


def teaching_staff():
    """Who may be assessed: staff (not an external researcher) in a teaching position."""
    return Person.objects.staff().filter(position__is_pedagogical=True)


def assessed_competencies(framework: CompetencyFramework):
    return Competency.objects.filter(framework=framework, kind__in=ASSESSED_KINDS).order_by("position", "code", "pk")


# ---------------------------------------------------------------- resolving who is assessed and by whom


@dataclass
class Resolution:
    """Who a draft assesses and their experts, by person id."""

    people: list[Person]
    experts: dict[int, list[int]]


def association_heads(person_ids: Iterable[int], day: datetime.date) -> dict[int, list[int]]:
    """The heads on `day` of the subject associations each person belongs to on `day` (never the person), by person
    id: two queries."""
    ids = list(person_ids)
    memberships = Membership.objects.active_on(day).filter(person_id__in=ids, unit__kind__in=ASSOCIATION_KINDS)
    units: dict[int, set[int]] = {}
    for person_id, unit_id in memberships.values_list("person_id", "unit_id"):
        units.setdefault(person_id, set()).add(unit_id)
    all_units = {unit for person_units in units.values() for unit in person_units}
    heads: dict[int, set[int]] = {}
    for unit_id, head_id in (
        Membership.objects.active_on(day)
        .filter(unit_id__in=all_units, role=MemberRole.HEAD)
        .values_list("unit_id", "person_id")
    ):
        heads.setdefault(unit_id, set()).add(head_id)
    return {
        person_id: sorted({head for unit in units.get(person_id, ()) for head in heads.get(unit, ())} - {person_id})
        for person_id in ids
    }


def resolve(
    *,
    scope: str,
    unit: Unit | None,
    people: Iterable[Person],
    starts_on: datetime.date,
    experts_mode: str,
    experts: Iterable[Person],
) -> Resolution:
    """Who is assessed (teaching staff only; chosen people are checked, not filtered) and each one's experts."""
    if scope == CampaignScope.ALL:
        assessed = list(teaching_staff().order_by("last_name", "first_name", "pk"))
    elif scope == CampaignScope.UNIT:
        members = Membership.objects.active_on(starts_on).filter(unit=unit).values("person_id")
        assessed = list(teaching_staff().filter(pk__in=members).order_by("last_name", "first_name", "pk"))
    else:
        chosen = {person.pk: person for person in people}
        teaching = set(teaching_staff().filter(pk__in=chosen).values_list("pk", flat=True))
        outside = [person for pk, person in chosen.items() if pk not in teaching]
        if outside:
            raise ValidationError(
                {
                    "people": ValidationError(
                        _("Not on the teaching staff, so not assessed: %(names)s.")
                        % {"names": ", ".join(sorted(person.full_name for person in outside))},
                        code="not_teaching_staff",
                    )
                }
            )
        assessed = sorted(chosen.values(), key=lambda p: (p.last_name, p.first_name, p.pk))
    if not assessed:
        raise ValidationError(_("Nobody on the teaching staff is in the chosen scope."), code="empty_scope")
    if experts_mode == EXPERTS_NAMED:
        named = sorted({person.pk for person in experts})
        by_person = {person.pk: [pk for pk in named if pk != person.pk] for person in assessed}
    else:
        by_person = association_heads([person.pk for person in assessed], starts_on)
    return Resolution(people=assessed, experts=by_person)


# ---------------------------------------------------------------- drafting


def _check(
    *,
    title: str,
    year: AcademicYear | None,
    framework: CompetencyFramework | None,
    scope: str,
    unit: Unit | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    experts_mode: str,
    experts: list[Person],
) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not title:
        refuse("title", _("Enter the campaign's title."), "required")
    if year is None:
        refuse("year", _("Choose the academic year."), "required")
    if framework is None:
        refuse("framework", _("Choose the competency framework."), "required")
    elif not assessed_competencies(framework).exists():
        refuse("framework", _("The framework has no competency to assess."), "framework_empty")
    if scope not in CampaignScope.values:
        refuse("scope", _("Choose who is assessed."), "required")
    elif scope == CampaignScope.UNIT and unit is None:
        refuse("unit", _("Choose the unit whose members are assessed."), "unit_required")
    if starts_on is None:
        refuse("starts_on", _("Enter the day the window opens."), "required")
    if ends_on is None:
        refuse("ends_on", _("Enter the day the window closes."), "required")
    if starts_on and ends_on and ends_on < starts_on:
        refuse("ends_on", _("The window cannot close before it opens."), "window_reversed")
    if year is not None:
        for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
            if day is not None and not year.contains(day):
                refuse(
                    field,
                    _("The window must lie inside the academic year %(year)s: %(start)s – %(end)s.")
                    % {"year": year.title, "start": f"{year.start:%d.%m.%Y}", "end": f"{year.end:%d.%m.%Y}"},
                    "window_outside_year",
                )
    if experts_mode not in (EXPERTS_HEADS, EXPERTS_NAMED):
        refuse("experts_mode", _("Choose who the experts are."), "required")
    elif experts_mode == EXPERTS_NAMED:
        if not experts:
            refuse("experts", _("Name at least one expert."), "required")
        outside = [person for person in experts if person.is_external]
        if outside:
            refuse(
                "experts",
                _("Experts are chosen from the college's staff: %(names)s is not.")
                % {"names": ", ".join(person.full_name for person in outside)},
                "expert_not_staff",
            )
    if errors:
        raise ValidationError(errors)


def _store_participants(campaign: DiagnosticCampaign, resolution: Resolution) -> None:
    campaign.participants.all().delete()
    participants = CampaignParticipant.objects.bulk_create(
        [CampaignParticipant(campaign=campaign, person=person) for person in resolution.people]
    )
    through = CampaignParticipant.experts.through
    through.objects.bulk_create(
        [
            through(campaignparticipant_id=participant.pk, person_id=expert_id)
            for participant in participants
            for expert_id in resolution.experts.get(participant.person_id, [])
        ]
    )


def _save_draft(campaign: DiagnosticCampaign, fields: dict, people, experts_mode: str, experts) -> DiagnosticCampaign:
    experts = list(experts or [])
    people = list(people or [])
    fields["title"] = " ".join((fields["title"] or "").split())
    _check(**fields, experts_mode=experts_mode, experts=experts)
    if fields["scope"] != CampaignScope.UNIT:
        fields["unit"] = None
    resolution = resolve(
        scope=fields["scope"],
        unit=fields["unit"],
        people=people,
        starts_on=fields["starts_on"],
        experts_mode=experts_mode,
        experts=experts,
    )
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean(exclude=["created_by", "unit"])
    campaign.save()
    _store_participants(campaign, resolution)
    return campaign


@transaction.atomic
def campaign_create(
    *,
    by: Person,
    title: str,
    year: AcademicYear | None,
    framework: CompetencyFramework | None,
    scope: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    unit: Unit | None = None,
    people: Iterable[Person] = (),
    experts_mode: str = EXPERTS_HEADS,
    experts: Iterable[Person] = (),
) -> DiagnosticCampaign:
    """A draft campaign, with who it assesses and their experts resolved (see the module's docstring)."""
    fields = dict(
        title=title, year=year, framework=framework, scope=scope, unit=unit, starts_on=starts_on, ends_on=ends_on
    )
    return _save_draft(DiagnosticCampaign(created_by=by), fields, people, experts_mode, experts)


def _locked(campaign: DiagnosticCampaign) -> DiagnosticCampaign:
    return DiagnosticCampaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)


def _must_be_draft(campaign: DiagnosticCampaign) -> None:
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(
            _("The campaign has been opened: it is no longer edited (it is «%(status)s»).")
            % {"status": campaign.get_status_display()},
            code="campaign_not_draft",
        )


@transaction.atomic
def campaign_update(
    *,
    campaign: DiagnosticCampaign,
    by: Person,
    title: str,
    year: AcademicYear | None,
    framework: CompetencyFramework | None,
    scope: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    unit: Unit | None = None,
    people: Iterable[Person] = (),
    experts_mode: str = EXPERTS_HEADS,
    experts: Iterable[Person] = (),
) -> DiagnosticCampaign:
    """Change a draft; who it assesses and the experts are resolved again."""
    campaign = _locked(campaign)
    _must_be_draft(campaign)
    fields = dict(
        title=title, year=year, framework=framework, scope=scope, unit=unit, starts_on=starts_on, ends_on=ends_on
    )
    return _save_draft(campaign, fields, people, experts_mode, experts)


@transaction.atomic
def campaign_delete(*, campaign: DiagnosticCampaign, by: Person) -> None:
    """Delete a draft (never an opened campaign: its assessments are records)."""
    campaign = _locked(campaign)
    _must_be_draft(campaign)
    campaign.delete()


@transaction.atomic
def campaign_open(
    *, campaign: DiagnosticCampaign, by: Person, today: datetime.date | None = None
) -> DiagnosticCampaign:
    """Open a draft: its participants and experts are fixed, every assessment task is created (a draft without
    scores: a self-assessment for each participant, an expert assessment for each of their experts)."""
    today = today or timezone.localdate()
    campaign = _locked(campaign)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(
            _("The campaign has already been opened (it is «%(status)s»).") % {"status": campaign.get_status_display()},
            code="already_open",
        )
    if campaign.ends_on < today:
        raise ValidationError(
            _("The window closed on %(day)s: move it before opening the campaign.")
            % {"day": f"{campaign.ends_on:%d.%m.%Y}"},
            code="window_passed",
        )
    participants = list(campaign.participants.select_related("person").prefetch_related("experts"))
    if not participants:
        raise ValidationError(_("Nobody on the teaching staff is in the chosen scope."), code="empty_scope")
    teaching = set(teaching_staff().filter(pk__in=[p.person_id for p in participants]).values_list("pk", flat=True))
    gone = [p.person.full_name for p in participants if p.person_id not in teaching]
    if gone:
        raise ValidationError(
            _("No longer on the teaching staff: %(names)s. Save the draft again to update who is assessed.")
            % {"names": ", ".join(sorted(gone))},
            code="not_teaching_staff",
        )
    outside = sorted({e.full_name for p in participants for e in p.experts.all() if e.is_external})
    if outside:
        raise ValidationError(
            _("Experts are chosen from the college's staff: %(names)s is not. Save the draft again with other experts.")
            % {"names": ", ".join(outside)},
            code="expert_not_staff",
        )
    tasks = []
    for participant in participants:
        tasks.append(Assessment(participant=participant, assessor_id=participant.person_id, kind=AssessmentKind.SELF))
        tasks.extend(
            Assessment(participant=participant, assessor=expert, kind=AssessmentKind.EXPERT)
            for expert in participant.experts.all()
        )
    Assessment.objects.bulk_create(tasks)
    campaign.status = CampaignStatus.OPEN
    campaign.save(update_fields=["status"])
    assessors = {task.assessor_id for task in tasks}
    notify(
        Person.objects.filter(pk__in=assessors).values_list("user_id", flat=True),
        kind=NotificationKind.ASSESSMENT_OPENED,
        text=_("The diagnostics «%(title)s» is open until %(day)s: your assessments wait for you.")
        % {"title": campaign.title, "day": f"{campaign.ends_on:%d.%m.%Y}"},
        url=reverse("attestation:assessment_mine"),
        key=f"campaign:{campaign.pk}:open",
    )
    return campaign


@transaction.atomic
def campaign_close(*, campaign: DiagnosticCampaign, by: Person) -> DiagnosticCampaign:
    """Close an open campaign: nothing is written to it any more (drafts stay drafts, not counted in results)."""
    campaign = _locked(campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(
            _("Only an open campaign can be closed (this one is «%(status)s»).")
            % {"status": campaign.get_status_display()},
            code="campaign_not_open",
        )
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    return campaign


# ---------------------------------------------------------------- assessments


def _check_writable(campaign: DiagnosticCampaign, today: datetime.date) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(
            _("The campaign is not open (it is «%(status)s»): assessments are not written.")
            % {"status": campaign.get_status_display()},
            code="campaign_not_open",
        )
    if today < campaign.starts_on:
        raise ValidationError(
            _("The assessment window opens on %(day)s.") % {"day": f"{campaign.starts_on:%d.%m.%Y}"},
            code="window_not_open",
        )
    if today > campaign.ends_on:
        raise ValidationError(
            _("The assessment window closed on %(day)s.") % {"day": f"{campaign.ends_on:%d.%m.%Y}"},
            code="window_closed",
        )


def writable(assessment: Assessment, today: datetime.date) -> bool:
    """The assessment can be written on `today` (by its assessor): a draft, the campaign open, the window holding
    today. For the pages; assessment_save checks the same and says why not."""
    campaign = assessment.participant.campaign
    return (
        assessment.status == AssessmentStatus.DRAFT
        and campaign.status == CampaignStatus.OPEN
        and campaign.starts_on <= today <= campaign.ends_on
    )


@transaction.atomic
def assessment_for(
    *, campaign: DiagnosticCampaign, person: Person, assessor: Person, kind: str, today: datetime.date | None = None
) -> Assessment:
    """The assessor's task for a participant (created when the campaign opened; created here if missing)."""
    today = today or timezone.localdate()
    participant = (
        CampaignParticipant.objects.filter(campaign=campaign, person=person).prefetch_related("experts").first()
    )
    if participant is None:
        raise ValidationError(
            _("%(person)s is not assessed in this campaign.") % {"person": person.full_name}, code="not_participant"
        )
    if kind == AssessmentKind.SELF:
        allowed = assessor.pk == person.pk
    else:
        allowed = kind == AssessmentKind.EXPERT and any(e.pk == assessor.pk for e in participant.experts.all())
    if not allowed:
        raise ValidationError(
            _("You are not an assessor of %(person)s in this campaign.") % {"person": person.full_name},
            code="not_assessor",
        )
    existing = Assessment.objects.filter(participant=participant, assessor=assessor, kind=kind).first()
    if existing is not None:
        return existing
    _check_writable(campaign, today)
    return Assessment.objects.create(participant=participant, assessor=assessor, kind=kind)


@dataclass
class ScoreInput:
    level: int | None = None
    comment: str = ""
    evidence_url: str = ""


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    by: Person,
    scores: Mapping[int, ScoreInput],
    submit: bool = False,
    today: datetime.date | None = None,
) -> Assessment:
    """Save the assessor's levels (by competency id), comments and evidence links as a draft, or submit them (every
    assessed competency scored; then fixed). A competency without a level, comment or link keeps no score."""
    today = today or timezone.localdate()
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("participant__campaign__framework")
        .get(pk=assessment.pk)
    )
    if assessment.assessor_id != by.pk:
        raise ValidationError(_("Only the assessor writes this assessment."), code="not_assessor")
    campaign = assessment.participant.campaign
    _check_writable(campaign, today)
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise ValidationError(
            _("The assessment has been submitted: it is not changed any more."), code="assessment_submitted"
        )
    framework = campaign.framework
    scale = set(framework.level_values)
    competencies = {c.pk: c for c in assessed_competencies(framework)}
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[int, ScoreInput] = {}
    for competency_id, given in scores.items():
        if competency_id not in competencies:
            raise ValidationError(
                _("This competency is not assessed in the campaign's framework."), code="unknown_competency"
            )
        comment = (given.comment or "").strip()
        link = (given.evidence_url or "").strip()
        if given.level is not None and given.level not in scale:
            errors.setdefault(f"level_{competency_id}", []).append(
                ValidationError(
                    _("Level %(level)s is not on the scale (%(low)s–%(high)s).")
                    % {"level": given.level, "low": min(scale), "high": max(scale)},
                    code="level_out_of_scale",
                )
            )
        if link:
            try:
                evidence_link_validator(link)
            except ValidationError as error:
                errors.setdefault(f"evidence_{competency_id}", []).append(error)
        if given.level is not None or comment or link:
            cleaned[competency_id] = ScoreInput(given.level, comment, link)
    if errors:
        raise ValidationError(errors)
    if submit:
        missing = [c for pk, c in competencies.items() if cleaned.get(pk) is None or cleaned[pk].level is None]
        if missing:
            raise ValidationError(
                _("Give a level for every competency before submitting; missing: %(codes)s.")
                % {"codes": ", ".join(c.code for c in missing)},
                code="incomplete",
            )
    # The model keeps a level with every score: a comment or a link needs its level, in a draft too.
    unscored = [pk for pk, given in cleaned.items() if given.level is None]
    if unscored:
        raise ValidationError(
            {
                f"level_{pk}": ValidationError(
                    _("Choose a level to keep the comment or the link."), code="level_required"
                )
                for pk in unscored
            }
        )
    Score.objects.filter(assessment=assessment).exclude(competency_id__in=list(cleaned)).delete()
    existing = {score.competency_id: score for score in Score.objects.filter(assessment=assessment)}
    for competency_id, given in cleaned.items():
        level = given.level
        if level is None:  # refused above (level_required); for the type checker
            continue
        score = existing.get(competency_id) or Score(assessment=assessment, competency_id=competency_id)
        if score.pk and (score.level, score.comment, score.evidence_url) == (level, given.comment, given.evidence_url):
            continue  # unchanged: no history row
        score.level, score.comment, score.evidence_url = level, given.comment, given.evidence_url
        score.save()
    if submit:
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_at = timezone.now()
    assessment.save()
    return assessment
