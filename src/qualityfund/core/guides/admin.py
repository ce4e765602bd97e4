from django.contrib import admin

from .models import Guide


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    """Read-only: guides change through `load_guide` and the window form, both audited."""

    list_display = ["title", "slug", "year", "is_demo", "opens_at", "closes_at"]
    readonly_fields = ["slug", "year", "title", "is_demo", "data", "source_sha256", "opens_at",
                       "closes_at", "loaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
