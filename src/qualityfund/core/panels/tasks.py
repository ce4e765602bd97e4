"""Background work of panels: telling the drawn experts, and the officer of an empty seat
(inline or on a Celery worker)."""

from celery import shared_task


@shared_task
def notify_members(member_ids: list[int]) -> int:
    """E-mail each drawn expert that they sit on a panel and must first declare conflicts.

    The message names the panel only, never an application: an expert learns which
    applications are under review after logging in, where conflicts hide them.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import timezone

    from .models import PanelMember

    sent = 0
    members = PanelMember.objects.filter(pk__in=member_ids).select_related("panel", "expert")
    for member in members:
        if member.expert.email:
            deadline = member.panel.scoring_deadline
            until = (f"，并于{timezone.localtime(deadline):%Y年%m月%d日 %H:%M}前确认全部评分表"
                     if deadline else "")
            send_mail(
                f"评审通知：{member.panel.name}",
                f"{member.expert.name}专家：您已被随机抽取为“{member.panel.name}”成员。"
                "请登录质量品牌专项资金平台，先逐项确认回避情况（如与申报单位存在利害关系须申报回避），"
                f"再按评分表评审{until}。",
                settings.DEFAULT_FROM_EMAIL, [member.expert.email])
            sent += 1
        member.notified_at = timezone.now()
        member.save(update_fields=["notified_at"])
    return sent


@shared_task
def notify_vacancy(panel_id: int) -> int:
    """E-mail the officer who drew the panel: a seat is empty and blocks finalisation until
    they fill it or decide to finalise with the members left."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .models import Panel

    panel = Panel.objects.select_related("drawn_by").get(pk=panel_id)
    if panel.drawn_by is None or not panel.drawn_by.email:
        return 0
    send_mail(f"专家组空缺：{panel.name}",
              f"“{panel.name}”有专家申报回避后无符合条件的专家可替换，现有 {len(panel.vacant_seats)} "
              "个空缺席位，专家组在补缺前不能定稿。请登录平台，在专家组页面补缺抽取（可扩大专业领域），"
              "或在剩余人数为5人以上单数时决定以现有人数定稿。",
              settings.DEFAULT_FROM_EMAIL, [panel.drawn_by.email])
    return 1
