import django_filters
from django.utils.translation import gettext_lazy as _

from structure.models import Unit

from .models import AcademicYear, Plan, PlanLevel, PlanStatus


class PlanFilter(django_filters.FilterSet):
    """The plan list's filters; the view sets `year` to the current year when the request doesn't name one."""

    year = django_filters.ModelChoiceFilter(
        label=_("Academic year"), queryset=AcademicYear.objects.order_by("-start"), empty_label=_("all")
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=PlanLevel.choices, empty_label=_("all"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices, empty_label=_("all"))
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"),
        queryset=Unit.objects.filter(created_on__isnull=False).order_by("kind", "name"),
        empty_label=_("all"),
    )

    class Meta:
        model = Plan
        fields = ["year", "level", "status", "unit"]
