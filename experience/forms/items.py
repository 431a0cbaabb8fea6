"""Forms of the experience item pages. They collect input; experience.services.items checks it (the association, the
co-authors, the rubric, the file by content, the link's scheme, the stages' order) and its refusals land on the
fields. None of them carries the item's status, author, publication or «outside experience» mark: those are the
services' to set."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from metodservice.common import uploads
from planning.models import Meeting, MeetingStatus, WorkDirection
from structure.forms import PersonChoiceField, PersonMultipleChoiceField, UnitChoiceField
from structure.models import ASSOCIATION_KINDS, Person, Unit, UnitKind

from ..models import RUBRIC, RUBRIC_MAX, ExperienceItem, ItemKind, Level, ReviewOutcome, Stage
from ..selectors import items as selectors
from ..services.items import TEXT_LENGTH


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def directions() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Work direction"),
        queryset=WorkDirection.objects.order_by("code"),
        required=False,
        help_text=_("The direction of the regulation the experience belongs to (usually 8, best practice)."),
    )


class _ContentFields(forms.Form):
    """What the register card says of an item: kind, title, date, level, topic, relevance, novelty, results."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    title = forms.CharField(label=pgettext_lazy("experience item", "Title"), max_length=500)
    date = forms.DateField(
        label=_("Date"), widget=_date_input(), help_text=_("When the lesson or event took place, or the work appeared.")
    )
    level = forms.ChoiceField(
        label=pgettext_lazy("experience level", "Level"), choices=Level.choices, initial=Level.COLLEGE
    )
    topic = forms.CharField(label=_("Topic"), max_length=500, required=False)
    relevance = forms.CharField(label=_("Relevance"), widget=_text_area(), max_length=TEXT_LENGTH, required=False)
    novelty = forms.CharField(label=_("Novelty"), widget=_text_area(), max_length=TEXT_LENGTH, required=False)
    results = forms.CharField(
        label=_("Results"),
        widget=_text_area(),
        max_length=TEXT_LENGTH,
        required=False,
        help_text=_("What changed for the students: results, figures, feedback."),
    )
    direction = directions()

    CONTENT = ("kind", "title", "date", "level", "topic", "relevance", "novelty", "results", "direction")

    def content_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CONTENT}


class ItemForm(_ContentFields):
    """A colleague's item: the content, the co-authors (staff, not the author) and the association (default: the
    author's own)."""

    co_authors = PersonMultipleChoiceField(
        label=_("Co-authors"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Colleagues who share the experience with you."),
    )
    association = UnitChoiceField(
        label=_("Subject association"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Its head reviews the item before the methodological council."),
    )

    field_order = [
        "kind",
        "title",
        "co_authors",
        "direction",
        "association",
        "date",
        "level",
        "topic",
        "relevance",
        "novelty",
        "results",
    ]

    def __init__(self, *args, author: Person, item: ExperienceItem | None = None, **kwargs):
        today = timezone.localdate()
        if item is not None:
            kwargs.setdefault("initial", {**initial_of(item), "co_authors": [p.pk for p in item.co_authors.all()]})
        else:
            association = selectors.association_of(author, today)
            kwargs.setdefault("initial", {"association": association.pk if association else None})
        super().__init__(*args, **kwargs)
        self.fields["co_authors"].queryset = (
            Person.objects.staff().exclude(pk=author.pk).order_by("last_name", "first_name", "pk")
        )
        associations = Unit.objects.active_on(today).filter(kind__in=ASSOCIATION_KINDS)
        if item is not None and item.association_id is not None:
            associations = associations | Unit.objects.filter(pk=item.association_id)
        self.fields["association"].queryset = associations.order_by("name", "pk")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {**self.content_kwargs(), "co_authors": list(data["co_authors"]), "association": data["association"]}


def initial_of(item: ExperienceItem) -> dict:
    return {
        "kind": item.kind,
        "title": item.title,
        "date": item.date,
        "level": item.level,
        "topic": item.topic,
        "relevance": item.relevance,
        "novelty": item.novelty,
        "results": item.results,
        "direction": item.direction_id,
        "association": item.association_id,
        "source": item.source,
        "external_authors": item.external_authors,
    }


class ExternalItemForm(_ContentFields):
    """Outside experience (regulation 1.4): the source and the authors, and on creation a link or a file."""

    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        help_text=_("The federal or regional collection, journal, site or event the experience comes from."),
    )
    external_authors = forms.CharField(label=_("Authors"), max_length=500, required=False)
    link_url = forms.CharField(
        label=_("Link"), max_length=1000, required=False, help_text=_("An address starting with http:// or https://.")
    )
    link_title = forms.CharField(label=_("Title of the link"), max_length=300, required=False)
    # The service checks the file (type by content, size, name) and its refusal lands on this field.
    file = forms.FileField(label=_("File"), required=False, allow_empty_file=True)
    file_title = forms.CharField(
        label=_("Title of the file"), max_length=300, required=False, help_text=_("By default, the item's title.")
    )

    field_order = [
        "kind",
        "title",
        "source",
        "external_authors",
        "direction",
        "date",
        "level",
        "topic",
        "relevance",
        "novelty",
        "results",
    ]
    ATTACHMENTS = ("link_url", "link_title", "file", "file_title")

    def __init__(self, *args, item: ExperienceItem | None = None, **kwargs):
        kwargs.setdefault("initial", initial_of(item) if item is not None else {"level": Level.FEDERAL})
        super().__init__(*args, **kwargs)
        if item is not None:  # links and files of an existing item are managed on its page
            for name in self.ATTACHMENTS:
                del self.fields[name]
        else:
            self.fields["file"].help_text = uploads.EXPERIENCE_MATERIAL.rule()
            self.fields["file"].widget.attrs["accept"] = uploads.EXPERIENCE_MATERIAL.accept

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {**self.content_kwargs(), "source": data["source"], "external_authors": data["external_authors"]}
        for name in self.ATTACHMENTS:
            if name in self.fields:
                kwargs[name] = data[name] or ("" if name != "file" else None)
        return kwargs


RUBRIC_CHOICES = [(value, str(value)) for value in range(RUBRIC_MAX + 1)]


class ReviewForm(forms.Form):
    """The association head's review: the rubric, the outcome, the comment."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        widget=_text_area(),
        max_length=TEXT_LENGTH,
        required=False,
        help_text=_("Required to return the item: what the author should correct."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in RUBRIC:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=RUBRIC_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                help_text=_("0 — not shown, 1 — partly, 2 — fully."),
            )
        self.order_fields([name for name, _label in RUBRIC] + ["outcome", "comment"])

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "comment": data["comment"],
            **{name: data[name] for name, _label in RUBRIC},
        }


def council_meetings():
    """The meetings an item may go on: the methodological council's, unsigned, today or later."""
    return (
        Meeting.objects.filter(
            unit__kind=UnitKind.COUNCIL,
            date__gte=timezone.localdate(),
            chair_signed_at__isnull=True,
            secretary_signed_at__isnull=True,
        )
        .exclude(status=MeetingStatus.SIGNED)
        .select_related("unit")
        .order_by("date", "number", "pk")
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return gettext("No. %(number)s of %(date)s — %(unit)s") % {
            "number": obj.number,
            "date": f"{obj.date:%d.%m.%Y}",
            "unit": obj.unit.name,
        }


class CouncilForm(forms.Form):
    meeting = MeetingChoiceField(
        label=_("Meeting of the methodological council"),
        queryset=Meeting.objects.none(),
        help_text=_(
            "A meeting still to come whose protocol is not signed; schedule one in planning if none is listed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = council_meetings()


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("The council's outcome"),
        choices=[
            (ReviewOutcome.RECOMMEND, _("recommend for dissemination and publication")),
            (ReviewOutcome.RETURN, _("return to the author")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=_text_area(3),
        max_length=TEXT_LENGTH,
        required=False,
        help_text=_("Required to return the item. It is written into the question's decision (РЕШИЛИ)."),
    )

    def service_kwargs(self) -> dict:
        return {
            "recommends": self.cleaned_data["outcome"] == ReviewOutcome.RECOMMEND,
            "comment": self.cleaned_data["comment"],
        }


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the item leaves the catalogue"), max_length=1000, widget=_text_area(3), required=False
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    date = forms.DateField(label=_("Date"), widget=_date_input(), help_text=_("When the stage was reached."))
    responsible = PersonChoiceField(label=pgettext_lazy("one person", "Responsible"), queryset=Person.objects.none())
    note = forms.CharField(label=_("Note"), widget=_text_area(3), max_length=TEXT_LENGTH, required=False)

    def __init__(self, *args, next_stage: str | None = None, responsible: Person | None = None, **kwargs):
        kwargs.setdefault(
            "initial",
            {"stage": next_stage, "date": timezone.localdate(), "responsible": getattr(responsible, "pk", None)},
        )
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Person.objects.staff().order_by("last_name", "first_name", "pk")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"stage": data["stage"], "date": data["date"], "responsible": data["responsible"], "note": data["note"]}


class FileForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("experience item", "Title"),
        max_length=300,
        help_text=_("For example: the lesson plan, the presentation, the guide."),
    )
    # The service checks the file (type by content, size, name) and its refusal lands on this field.
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = uploads.EXPERIENCE_MATERIAL.rule()
        self.fields["file"].widget.attrs["accept"] = uploads.EXPERIENCE_MATERIAL.accept

    def service_kwargs(self) -> dict:
        return {"title": self.cleaned_data["title"], "file": self.cleaned_data["file"] or None}


class LinkForm(forms.Form):
    # Not a URLField: an intranet address with a single host name (http://fileserver/x) is a good link here; the
    # service allows http and https only (planning's evidence_link_validator).
    url = forms.CharField(
        label=_("Link"), max_length=1000, help_text=_("An address starting with http:// or https://.")
    )
    title = forms.CharField(label=pgettext_lazy("experience item", "Title"), max_length=300, required=False)

    def service_kwargs(self) -> dict:
        return {"url": self.cleaned_data["url"], "title": self.cleaned_data["title"]}


#: The steps of the methodist's list, as its filter offers them ("" — all waiting for the methodist).
STEP_CHOICES = [
    ("", _("waiting for the methodist")),
    (selectors.STEP_FOR_COUNCIL, _("recommended by the association, not on an agenda")),
    (selectors.STEP_ON_AGENDA, _("on the council's agenda")),
    (selectors.STEP_TO_PUBLISH, _("recommended by the council, to publish")),
    (selectors.STEP_SUBMITTED, _("submitted to the association head")),
    (selectors.STEP_RETURNED, _("returned to the author")),
]


class ProgressFilterForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=STEP_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("all kinds")), *ItemKind.choices], required=False)
    association = UnitChoiceField(
        label=_("Subject association"), queryset=Unit.objects.none(), required=False, empty_label=_("all associations")
    )
    direction = forms.ModelChoiceField(
        label=_("Work direction"),
        queryset=WorkDirection.objects.order_by("code"),
        required=False,
        empty_label=_("all directions"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = Unit.objects.filter(kind__in=ASSOCIATION_KINDS).order_by("name", "pk")

    def filters(self) -> dict:
        """The valid filters (an invalid value is ignored, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        association, direction = data.get("association"), data.get("direction")
        return {
            "step": data.get("step") or "",
            "kind": data.get("kind") or "",
            "association_id": association.pk if association else None,
            "direction_id": direction.pk if direction else None,
        }
