import json

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metodservice.common.widgets import SearchableSelect, SearchableSelectMultiple

from .models import (
    AbsenceKind,
    AbsencePeriod,
    ActionKind,
    GenderChoice,
    MemberRole,
    Order,
    OrderStatus,
    Person,
    Position,
    SystemRole,
    Unit,
    UnitKind,
)
from .rules import grantable_positions, sees_personal_data_of
from .selectors import home_unit, people_for_picker
from .services import PERSON_FIELDS
from .wording import gender_of_name, quoted


def person_choice_label(person: Person) -> str:
    """A person as a picker offers them: «Фамилия И.О. — position, unit» (an external researcher: the organisation
    for the position); the unit is the one selectors.home_unit names."""
    where = person.organisation if person.is_external else (person.position.name if person.position else "")
    unit = home_unit(person)
    details = ", ".join(part for part in (where, unit.name if unit else "") if part)
    return f"{person.short_name} — {details}" if details else person.short_name


class _PersonChoiceIterator(ModelChoiceIterator):
    """The options of a people picker, with what their labels need fetched alongside: two queries for the list."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = people_for_picker(self.queryset)


class PersonChoiceField(forms.ModelChoiceField):
    """A person picked by searching (SearchableSelect): the option says who, in what position, in which unit."""

    iterator = _PersonChoiceIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SearchableSelect(placeholder=_("Type a part of the surname")))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Person) -> str:
        return person_choice_label(obj)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several people picked by searching (SearchableSelectMultiple), labelled as PersonChoiceField's."""

    iterator = _PersonChoiceIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SearchableSelectMultiple(placeholder=_("Type a part of the surname")))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Person) -> str:
        return person_choice_label(obj)

    def clean(self, value):
        """A submitted id outside the range of the id column is refused like any unknown id. Django checks a list
        with one `id IN (…)` query, which SQLite can't even run with such a number (a 500, not a message)."""
        if isinstance(value, (list, tuple)):
            model = self.queryset.model
            low, high = connections[self.queryset.db].ops.integer_field_range(model._meta.pk.get_internal_type())
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # not a number: Django refuses it with its own message
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super().clean(value)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picked by searching (SearchableSelect): «name — kind»."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SearchableSelect(placeholder=_("Type a part of the name")))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        # The kinds' labels looked up once per list: get_kind_display() per option cost a region's filter of 100
        # units several milliseconds.
        kinds = self.__dict__.setdefault("_kinds", {kind.value: str(kind.label) for kind in UnitKind})
        return f"{obj.name} — {kinds.get(obj.kind, obj.kind)}"


class SignedOrderChoiceField(forms.ModelChoiceField):
    """A signed order as the cancel-an-order picker shows it: «№ 15-од от 05.06.2026 «О …»», its year in the date."""

    def label_from_instance(self, obj: Order) -> str:
        return _("No. %(number)s of %(date)s %(title)s") % {
            "number": obj.registration_number,
            "date": f"{obj.date:%d.%m.%Y}" if obj.date else "—",
            "title": quoted(obj.title),
        }


class OrderForm(forms.ModelForm):
    approvers = PersonMultipleChoiceField(
        label=_("Approvers (visas)"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Those who must agree before the director signs. Leave empty to send straight for signature."),
    )

    class Meta:
        model = Order
        fields = ["title", "preamble", "control_text"]
        widgets = {"preamble": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, author: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        author = self.instance.author if self.instance.pk else author
        people = Person.objects.staff().exclude(position__system_role=SystemRole.DIRECTOR)
        if author is not None:
            people = people.exclude(pk=author.pk)  # nobody gives a visa to their own order
        self.fields["approvers"].queryset = people.select_related("position")
        if self.instance.pk:
            self.fields["approvers"].initial = [a.person_id for a in self.instance.approvals.all()]


class ClauseForm(forms.Form):
    text = forms.CharField(label=_("Text of the clause"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    """One form for every structural action; `clean` asks only for the fields the chosen kind needs."""

    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    unit_kind = forms.ChoiceField(
        label=_("Kind of the new unit"), choices=[("", "—"), *UnitKind.choices], required=False
    )
    unit_name = forms.CharField(label=_("Name of the new unit"), max_length=300, required=False)
    unit_purpose = forms.CharField(
        label=_("Problem / purpose of the new unit"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", "—"), *[(v, label) for v, label in MemberRole.choices if v != MemberRole.MEMBER]],
        required=False,
    )
    new_name = forms.CharField(label=_("New name"), max_length=300, required=False)
    target_order = SignedOrderChoiceField(label=_("Order to cancel"), queryset=Order.objects.none(), required=False)

    NEEDS = {
        ActionKind.CREATE_UNIT: ["unit_kind", "unit_name"],
        ActionKind.APPOINT: ["unit", "person", "role"],
        ActionKind.INCLUDE: ["unit", "person"],
        ActionKind.EXCLUDE: ["unit", "person"],
        ActionKind.RENAME: ["unit", "new_name"],
        ActionKind.DISSOLVE: ["unit"],
        ActionKind.CANCEL_ORDER: ["target_order"],
    }

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["data-needs"] = json.dumps({str(k): v for k, v in self.NEEDS.items()})
        today = timezone.localdate()
        # Units in the structure today, units this order creates, and proposed creative groups.
        self.fields["unit"].queryset = (
            Unit.objects.filter(dissolved_on__isnull=True)
            .filter(
                Q(created_on__lte=today)
                | Q(actions__clause__order=order)
                | Q(proposed_by__isnull=False, created_on__isnull=True)
            )
            .distinct()
            .order_by("kind", "name")
        )
        self.fields["person"].queryset = Person.objects.select_related("position")
        self.fields["target_order"].queryset = Order.objects.filter(status=OrderStatus.SIGNED).order_by(
            "-date", "-number"
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ActionKind.CREATE_UNIT and data.get("unit"):
            # Registering a proposed creative group: the unit is chosen, no new name needed.
            return data
        for name in self.NEEDS.get(kind, []):
            if not data.get(name):
                self.add_error(name, _("Required for this action."))
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StructureDateForm(forms.Form):
    """The structure page's parameters: the date, a search (a unit's name or a member's surname) and the one unit
    whose members are shown (the others stay collapsed)."""

    date = forms.DateField(label=_("Structure as of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Unit or surname"), required=False)
    unit = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS  # what services.person_save accepts
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "hire_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "position_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pedagogical_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "education_details": forms.Textarea(attrs={"rows": 2}),
            "awards": forms.Textarea(attrs={"rows": 2}),
            "subjects": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the positions this user may grant are offered (the service checks again). A person already in a
        # position the user may not touch keeps it, shown but not changeable.
        choices = grantable_positions(by)
        current = self.instance.position if self.instance.pk else None
        if current is not None and not choices.filter(pk=current.pk).exists():
            self.fields["position"].disabled = True
            self.fields["position"].queryset = Position.objects.filter(pk=current.pk)
            self.fields["position"].help_text = _("Only the administrator or the director changes this position.")
        else:
            self.fields["position"].queryset = choices
        derived = gender_of_name(self.instance.first_name, self.instance.patronymic) if self.instance.pk else ""
        if derived:  # «по отчеству (автоматически): женский»: what «auto» means for this person
            self.fields["gender"].choices = [
                (value, f"{label}: {GenderChoice(derived).label}" if value == GenderChoice.AUTO else label)
                for value, label in GenderChoice.choices
            ]
        if self.instance.pk and not by.is_admin:
            self.fields["is_external"].disabled = True
            self.fields["is_external"].help_text = _("Only the administrator changes this.")
        if by.person is not None and self.instance.pk == by.person.pk:
            self.fields["position"].disabled = True
            self.fields["position"].help_text = _("You cannot change your own position.")
        if not sees_personal_data_of(by, self.instance if self.instance.pk else None):
            # Personal data: the administrator of accounts edits the record without seeing the date of birth (the
            # service keeps it when the field is not sent).
            del self.fields["birth_date"]

    def clean(self):
        data = super().clean()
        if data.get("is_external"):
            if not data.get("organisation"):
                self.add_error("organisation", _("Name the organisation of the external researcher."))
        elif not data.get("position"):
            self.add_error("position", _("A staff member must have a position."))
        return data


class GroupProposalForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=300)
    purpose = forms.CharField(label=_("Problem the group will work on"), widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why do you want to join? (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AbsenceForm(forms.Form):
    """An absence period of a person's record; services.absence_save checks it against the other periods."""

    kind = forms.ChoiceField(label=_("Kind"), choices=AbsenceKind.choices)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day of the absence. Leave empty while it lasts."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For example the number and date of the order granting the leave."),
    )

    def __init__(self, *args, absence: AbsencePeriod | None = None, **kwargs):
        if absence is not None:
            kwargs.setdefault(
                "initial", {"kind": absence.kind, "start": absence.start, "end": absence.end, "note": absence.note}
            )
        super().__init__(*args, **kwargs)
