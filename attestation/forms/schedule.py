"""The schedule page's filters: unit (a membership on the day), position, status. The XLSX export takes the same
parameters (attestation:schedule_xlsx)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from planning.filters import UnitFilter, units_for_filter
from structure.models import Position

from ..selectors import schedule as selectors


class ScheduleFilter(django_filters.FilterSet):
    """Filters the people by unit and position; the status is computed, so it filters the rows (see `status`)."""

    unit = UnitFilter(label=_("Unit"), queryset=units_for_filter, method="filter_unit")
    position = django_filters.ModelChoiceFilter(
        label=_("Position"), queryset=Position.objects.filter(is_pedagogical=True)
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=list(selectors.STATUS_LABELS.items()), method="filter_status"
    )

    def __init__(self, *args, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day

    def filter_unit(self, queryset, name, value):
        return selectors.in_unit(queryset, value, self.day)

    def filter_status(self, queryset, name, value):
        return queryset  # a status is not in the database: the view keeps the rows that match (ScheduleRow.matches)

    @property
    def chosen_status(self) -> str:
        """The status asked for, once the form is valid ("" for all)."""
        self.qs  # noqa: B018  (validates the form)
        return (getattr(self.form, "cleaned_data", None) or {}).get("status") or ""
