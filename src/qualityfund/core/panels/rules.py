"""Who may do what with the pool, panels and score sheets (django-rules).

An expert acts only on applications of a panel where they hold an active seat and on which
they have no conflict (回避): ``is_assigned`` is false for a conflicted application, so every
page and API call that checks it reveals nothing of that application.
"""

import rules

from qualityfund.core.accounts.rules import (
    is_admin,
    is_auditor,
    is_bureau_reader,
    is_expert,
    is_officer,
)

ACTIVE = "active"


@rules.predicate
def is_active_member(user, panel) -> bool:
    from .models import PanelMember

    return panel is not None and PanelMember.objects.filter(
        panel_id=panel.pk, expert__user_id=user.pk, status=ACTIVE).exists()


@rules.predicate
def is_chair(user, panel) -> bool:
    return (panel is not None and panel.chair_id is not None
            and panel.chair.user_id == user.pk and is_active_member(user, panel))


@rules.predicate
def is_assigned(user, application) -> bool:
    """An active member of the panel reviewing ``application``, with no conflict on it."""
    from .models import Conflict, PanelApplication, PanelMember

    if application is None:
        return False
    entry = PanelApplication.objects.filter(application_id=application.pk).first()
    return (
        entry is not None
        and PanelMember.objects.filter(panel_id=entry.panel_id, expert__user_id=user.pk,
                                       status=ACTIVE).exists()
        and not Conflict.objects.filter(application_id=application.pk,
                                        expert__user_id=user.pk).exists()
    )


@rules.predicate
def chairs_sheet(user, sheet) -> bool:
    return (sheet is not None and is_chair(user, sheet.panel)
            and is_assigned(user, sheet.application))


is_panel_manager = is_officer | is_admin

rules.add_perm("panels.view_pool", is_admin | is_officer | is_auditor)
rules.add_perm("panels.manage_pool", is_admin)
rules.add_perm("panels.manage_panel", is_panel_manager)
rules.add_perm("panels.view_panel", is_bureau_reader | (is_expert & is_active_member))
rules.add_perm("panels.view_results", is_bureau_reader | (is_expert & is_chair))
rules.add_perm("panels.finalise_panel", is_expert & is_chair)
rules.add_perm("panels.reopen_sheet", is_expert & chairs_sheet)
rules.add_perm("panels.review_application", is_expert & is_assigned)
