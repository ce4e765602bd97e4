"""What each user may list: the expert's view is cut by membership and by every conflict.

An expert with a conflict (回避) on an application sees nothing of it — not the application,
its materials, its sheets nor other experts' reviews — so every expert-facing list starts
from these querysets, and the permission rules (``rules.py``) repeat the same test per object.
"""

from django.db import models

ACTIVE = "active"


def _is_expert(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == "expert")


class PanelQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bureau staff all panels; an expert the panels where they hold an active seat."""
        if user.is_authenticated and user.is_bureau_staff:
            return self
        if _is_expert(user):
            return self.filter(members__expert__user=user, members__status=ACTIVE).distinct()
        return self.none()


class ConflictQuerySet(models.QuerySet):
    def of_user(self, user):
        return self.filter(expert__user=user)


class ScoreSheetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Bureau staff every sheet. An expert their own sheets, and as chair the sheets of
        their panel — never a sheet of an application they have a conflict on, never void."""
        if user.is_authenticated and user.is_bureau_staff:
            return self
        if not _is_expert(user):
            return self.none()
        own = models.Q(member__expert__user=user, member__status=ACTIVE)
        chaired = models.Q(panel__chair__user=user)
        return (self.filter(own | chaired).exclude(status="void")
                .exclude(application__expert_conflicts__expert__user=user))


def entries_for(user, panel):
    """The applications of ``panel`` that ``user`` may see, each with its application."""
    from .models import PanelApplication

    entries = PanelApplication.objects.filter(panel=panel).select_related(
        "application__organisation")
    if user.is_authenticated and user.is_bureau_staff:
        return entries
    if not _is_expert(user) or not panel.members.filter(
            expert__user=user, status=ACTIVE).exists():
        return entries.none()
    return entries.exclude(application__expert_conflicts__expert__user=user)
