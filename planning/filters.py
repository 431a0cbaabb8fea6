import django_filters
from django.utils.translation import gettext_lazy as _

from structure.forms import UnitChoiceField
from structure.models import Unit
from structure.selectors import roles_of

from .forms.years import ListedYearChoiceField
from .models import AcademicYear, Plan, PlanLevel, PlanStatus


def units_for_filter(request):
    """The "Unit" choices of the list filters: units in the structure for staff; an external person's own units
    (planning.view_unit lets them open no other)."""
    roles = roles_of(request.user)
    # The fields an option shows (UnitChoiceField): a unit's long texts are not read for a hundred options.
    units = Unit.objects.filter(created_on__isnull=False).only("pk", "name", "kind").order_by("kind", "name")
    if roles.is_admin or roles.is_staff_member:
        return units
    return units.filter(pk__in=list(roles.units))


class UnitFilter(django_filters.ModelChoiceFilter):
    """A unit picked by searching (structure.forms.UnitChoiceField)."""

    field_class = UnitChoiceField


class YearFilter(django_filters.ModelChoiceFilter):
    """An academic year from the years read once (forms.years.ListedYearChoiceField): the view finds the current
    year among them (`form.fields["year"].current`)."""

    field_class = ListedYearChoiceField


class CurrentYearByDefault:
    """A filter set whose `year` (a YearFilter) is the current year when the request names none (`year=` names
    every year), found among the years the field reads for its options: no query of its own."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data is not None and "year" not in data:
            current = self.form.fields["year"].current
            if current is not None:
                self.form.data = self.form.data.copy()
                self.form.data["year"] = str(current.pk)


class PlanFilter(CurrentYearByDefault, django_filters.FilterSet):
    """The plan list's filters: the current year unless the request names another."""

    year = YearFilter(label=_("Academic year"), queryset=AcademicYear.objects.order_by("-start"), empty_label=_("all"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=PlanLevel.choices, empty_label=_("all"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices, empty_label=_("all"))
    unit = UnitFilter(label=_("Unit"), queryset=units_for_filter, empty_label=_("all"))

    class Meta:
        model = Plan
        fields = ["year", "level", "status", "unit"]
