import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Order, OrderStatus, Person, Position


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    position = django_filters.ModelChoiceFilter(label=_("Position"), queryset=Position.objects.all())
    is_external = django_filters.BooleanFilter(label=_("External researchers"))

    class Meta:
        model = Person
        fields = ["q", "position", "is_external"]

    def filter_name(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(last_name__icontains=word) | Q(first_name__icontains=word) | Q(patronymic__icontains=word)
            )
        return queryset


#: The years an order may be looked up by. The form states them and refuses any other number with a message: the
#: database would refuse an integer out of its range with a 500.
ORDER_YEAR_MIN, ORDER_YEAR_MAX = 1900, 2999


class YearFilter(django_filters.NumberFilter):
    """A whole year: django-filter's NumberFilter takes any decimal up to 1e50."""

    field_class = forms.IntegerField

    def get_max_validator(self):
        return None  # the field's own max_value states the bound


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OrderStatus.choices)
    year = YearFilter(label=_("Year"), min_value=ORDER_YEAR_MIN, max_value=ORDER_YEAR_MAX)

    class Meta:
        model = Order
        fields = ["q", "status", "year"]
