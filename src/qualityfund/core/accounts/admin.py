from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, User


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
