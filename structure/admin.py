"""The admin site is for accounts and reference data. The structure and orders are read-only here:
they change only through signed orders, in the portal."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Order, Person, Position, Unit, User

admin.site.register(User, UserAdmin)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "system_role", "is_pedagogical"]
    list_filter = ["system_role", "is_pedagogical"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "position", "user", "is_external"]
    list_filter = ["is_external", "position"]
    search_fields = ["last_name", "first_name", "patronymic", "email"]
    raw_id_fields = ["user"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "created_on", "dissolved_on"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["person", "unit", "role", "start", "end"]
    list_select_related = ["person", "unit"]
    list_filter = ["role", "unit__kind"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "date"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
