import django_filters
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


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OrderStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Order
        fields = ["q", "status", "year"]
