from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from finsam.models import (
    Association,
    BoardSeat,
    Member,
    OfficeStaff,
    Person,
    PreparationGroupSeat,
    Role,
    TargetGroup,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name"]}),
        ("Behörighet", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Datum", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class RoleInline(admin.TabularInline):
    model = Role
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Association)
class AssociationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org_number", "founded"]
    search_fields = ["name", "org_number"]
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "association", "kind"]
    list_filter = ["kind", "association"]
    autocomplete_fields = ["user"]


class ByAssociationNameAdmin(SimpleHistoryAdmin):
    """Every förbund's rows, grouped by the förbund's name: the models order by its id, which
    spares a förbund's own pages a join to sort their rows (issue #12)."""

    def get_ordering(self, request):
        return ["association__name", *self.model._meta.ordering[1:]]


@admin.register(Member)
class MemberAdmin(ByAssociationNameAdmin):
    list_display = ["name", "kind", "association", "active_from", "active_until"]
    list_filter = ["kind", "association"]


for model in (TargetGroup, Person, OfficeStaff):
    admin.site.register(model, ByAssociationNameAdmin)
for model in (BoardSeat, PreparationGroupSeat):
    admin.site.register(model, SimpleHistoryAdmin)
