from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .identity import IDENTITY_FIELDS, is_frozen
from .models import IdentityChangeRequest, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["username", "last_name", "first_name", "organisation__name"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("角色", {"fields": ["role", "organisation", "phone"]})]
    add_fieldsets = [*BaseUserAdmin.add_fieldsets,
                     ("角色", {"fields": ["role", "organisation"]})]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "district", "trust_level", "created_at"]
    list_filter = ["district", "trust_level"]
    search_fields = ["name", "credit_code"]

    def get_readonly_fields(self, request, obj=None):
        """Once it has applied, its identity changes through an identity change request
        (decided by an officer, on record), not here."""
        if obj is not None and is_frozen(obj):
            return IDENTITY_FIELDS
        return ()


@admin.register(IdentityChangeRequest)
class IdentityChangeRequestAdmin(admin.ModelAdmin):
    """Read only: requests are made and decided through the service functions."""

    list_display = ["organisation", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
