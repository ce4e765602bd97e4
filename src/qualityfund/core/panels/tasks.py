"""Background work of panels: telling the drawn experts (inline or on a Celery worker)."""

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
            send_mail(
                f"评审通知：{member.panel.name}",
                f"{member.expert.name}专家：您已被随机抽取为“{member.panel.name}”成员。"
                "请登录质量品牌专项资金平台，先逐项确认回避情况（如与申报单位存在利害关系须申报回避），"
                "再按评分表评审。",
                settings.DEFAULT_FROM_EMAIL, [member.expert.email])
            sent += 1
        member.notified_at = timezone.now()
        member.save(update_fields=["notified_at"])
    return sent
