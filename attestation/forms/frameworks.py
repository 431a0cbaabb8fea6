"""Forms of the competency framework pages. They collect input; attestation.services.frameworks checks it (codes,
parents and kinds, the scale, the CSV rows) and its refusals land on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Competency, CompetencyFramework, CompetencyKind
from ..services.frameworks import MAX_LEVELS


class FrameworkForm(forms.Form):
    name = forms.CharField(label=_("Name of the framework"), max_length=300)
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        required=False,
        help_text=_("The document the framework follows, e.g. the order approving a professional standard."),
    )


class LevelForm(forms.Form):
    name = forms.CharField(label=_("Name of the level"), max_length=100, required=False)
    descriptor = forms.CharField(
        label=_("What the level means"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BaseLevelFormSet(forms.BaseFormSet):
    def levels(self) -> list[dict]:
        """The filled rows in order; a row left blank is dropped, so the levels stay numbered 0, 1, 2…"""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {}) or {}
            name, descriptor = (data.get("name") or "").strip(), (data.get("descriptor") or "").strip()
            if name or descriptor:
                rows.append({"name": name, "descriptor": descriptor})
        return rows


LevelFormSet = forms.formset_factory(
    LevelForm, formset=BaseLevelFormSet, extra=0, max_num=MAX_LEVELS, absolute_max=MAX_LEVELS, validate_max=True
)


def level_formset(framework: CompetencyFramework, data=None) -> BaseLevelFormSet:
    """The scale's levels and blank rows up to the most a scale may have."""
    initial = [{"name": level["name"], "descriptor": level.get("descriptor", "")} for level in framework.levels]
    initial += [{} for _ in range(MAX_LEVELS - len(initial))]
    return LevelFormSet(data, initial=initial[:MAX_LEVELS], prefix="levels")


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Competency) -> str:
        return f"{obj.code} {obj.name}"


class CompetencyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CompetencyKind.choices, widget=forms.RadioSelect)
    parent = ParentChoiceField(
        label=_("Part of"),
        queryset=Competency.objects.none(),
        required=False,
        empty_label=_("— none (a generalised labour function) —"),
        help_text=_("A labour function is part of a generalised labour function, an indicator of a labour function."),
    )
    code = forms.CharField(
        label=_("Code"), max_length=30, help_text=_("Unique in the framework, as the professional standard numbers it.")
    )
    name = forms.CharField(label=_("Name of the competency"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, parents, competency: Competency | None = None, **kwargs):
        if competency is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": competency.kind,
                    "parent": competency.parent_id,
                    "code": competency.code,
                    "name": competency.name,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"code": data["code"], "name": data["name"], "kind": data["kind"], "parent": data["parent"]}


class ImportForm(forms.Form):
    """A CSV file into a new framework (`name`), or into an existing one (no name field)."""

    name = forms.CharField(label=_("Name of the new framework"), max_length=300)
    source = forms.CharField(label=_("Source"), max_length=500, required=False)
    file = forms.FileField(
        label=_("CSV file"),
        allow_empty_file=True,
        help_text=_(
            "The columns of the downloaded file: code, name, kind, parent's code; «;» between the cells, UTF-8 or "
            "Windows-1251, at most 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["name"]
            del self.fields["source"]
