"""Forms of the diagnostics campaigns and the assessment form. They collect input; attestation.services.campaigns
checks it (the window inside the year, the scope, the experts; levels on the scale, completeness) and its refusals
land on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from planning.models import AcademicYear
from structure.forms import PersonMultipleChoiceField, UnitChoiceField
from structure.models import Person, Unit

from ..models import Assessment, CampaignScope, Competency, CompetencyFramework, DiagnosticCampaign
from ..services import campaigns as services

EXPERT_CHOICES = [
    (services.EXPERTS_HEADS, _("each person's association head(s) on the window's first day")),
    (services.EXPERTS_NAMED, _("the experts named below, for everyone")),
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.none())
    framework = forms.ModelChoiceField(label=_("Competency framework"), queryset=CompetencyFramework.objects.none())
    scope = forms.ChoiceField(label=_("Who is assessed"), choices=CampaignScope.choices, widget=forms.RadioSelect)
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("For «the members of a unit»: its teaching staff on the window's first day."),
    )
    people = PersonMultipleChoiceField(
        label=_("People"), queryset=Person.objects.none(), required=False, help_text=_("For «chosen people».")
    )
    starts_on = forms.DateField(label=_("Window opens"), widget=_date_input())
    ends_on = forms.DateField(
        label=_("Window closes"), widget=_date_input(), help_text=_("The window lies inside the academic year.")
    )
    experts_mode = forms.ChoiceField(
        label=_("Experts"), choices=EXPERT_CHOICES, widget=forms.RadioSelect, initial=services.EXPERTS_HEADS
    )
    experts = PersonMultipleChoiceField(
        label=_("Named experts"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("For «the experts named below»: nobody is their own expert."),
    )

    def __init__(self, *args, campaign: DiagnosticCampaign | None = None, units=None, **kwargs):
        if campaign is not None:
            kwargs.setdefault("initial", initial_of(campaign))
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = AcademicYear.objects.order_by("-start")
        framework = self.fields["framework"]
        framework.queryset = CompetencyFramework.objects.order_by("name", "-version")
        framework.label_from_instance = framework_label  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["people"].queryset = services.teaching_staff().order_by("last_name", "first_name", "pk")
        self.fields["experts"].queryset = Person.objects.staff().order_by("last_name", "first_name", "pk")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "year": data["year"],
            "framework": data["framework"],
            "scope": data["scope"],
            "unit": data.get("unit"),
            "people": list(data.get("people") or []),
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "experts_mode": data["experts_mode"],
            "experts": list(data.get("experts") or []),
        }


def framework_label(framework: CompetencyFramework) -> str:
    return gettext("%(name)s, version %(version)s") % {"name": framework.name, "version": framework.version}


def initial_of(campaign: DiagnosticCampaign) -> dict:
    """A draft's values for its form. The experts' choice is read back from the participants: the heads when each
    one's experts are their association heads on the window's first day, else the experts named (all of them)."""
    participants = list(campaign.participants.prefetch_related("experts"))
    stored = {p.person_id: sorted(e.pk for e in p.experts.all()) for p in participants}
    heads = services.association_heads(stored, campaign.starts_on) if stored else {}
    named = stored != heads
    return {
        "title": campaign.title,
        "year": campaign.year_id,
        "framework": campaign.framework_id,
        "scope": campaign.scope,
        "unit": campaign.unit_id,
        "people": list(stored) if campaign.scope == CampaignScope.CHOSEN else [],
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "experts_mode": services.EXPERTS_NAMED if named else services.EXPERTS_HEADS,
        "experts": sorted({pk for pks in stored.values() for pk in pks}) if named else [],
    }


class AssessmentForm(forms.Form):
    """A level per assessed competency (radio buttons with the scale's names), a comment and an evidence link.
    `competencies` are the framework's assessed ones in order; `levels` its scale. Field names carry the
    competency's id: level_<id>, comment_<id>, evidence_<id>."""

    def __init__(self, *args, assessment: Assessment, competencies: list[Competency], scores=None, **kwargs):
        scores = {score.competency_id: score for score in (scores or [])}
        initial = {}
        for competency_id, score in scores.items():
            initial[f"level_{competency_id}"] = str(score.level)
            initial[f"comment_{competency_id}"] = score.comment
            initial[f"evidence_{competency_id}"] = score.evidence_url
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        levels = assessment.participant.campaign.framework.levels
        self.levels = levels
        choices = [(str(level["value"]), f"{level['value']} — {level['name']}") for level in levels]
        self.competencies = competencies
        for competency in competencies:
            pk = competency.pk
            self.fields[f"level_{pk}"] = forms.TypedChoiceField(
                label=f"{competency.code} {competency.name}",
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{pk}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"evidence_{pk}"] = forms.CharField(
                label=_("Evidence (link)"),
                required=False,
                max_length=500,
                widget=forms.URLInput(),
            )

    def rows(self) -> dict[int, dict]:
        """By competency id, what the template renders: the level field with each radio beside its level's
        descriptor, the comment and evidence fields."""
        levels = self.levels
        rows = {}
        for competency in self.competencies:
            pk = competency.pk
            level = self[f"level_{pk}"]
            rows[pk] = {
                "competency": competency,
                "level": level,
                "radios": [(radio, levels[i].get("descriptor", "")) for i, radio in enumerate(level)],
                "comment": self[f"comment_{pk}"],
                "evidence": self[f"evidence_{pk}"],
            }
        return rows

    def scores(self) -> dict[int, services.ScoreInput]:
        data = self.cleaned_data
        result = {}
        for competency in self.competencies:
            pk = competency.pk
            level = data.get(f"level_{pk}")
            result[pk] = services.ScoreInput(
                level=None if level in (None, "") else int(level),
                comment=data.get(f"comment_{pk}", ""),
                evidence_url=data.get(f"evidence_{pk}", ""),
            )
        return result
