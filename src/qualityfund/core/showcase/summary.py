"""Which demo account finds what waiting in the showcase, read from the database as it is."""

from collections import Counter

from django.db.models import Count

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.funding.models import FundingPlan
from qualityfund.core.panels.models import Panel, PanelMember, ScoreSheet
from qualityfund.core.review.models import Supplementation

from . import data

STATE_LABELS = State.choices


def state_counts(guide) -> Counter:
    return Counter(Application.objects.filter(guide=guide).values_list("state", flat=True))


def _short(guide, key: str) -> str:
    return guide.subprogramme(key).short_name


def lines(guide) -> list[str]:
    """One line per account (or group of accounts) of what it sees after logging in."""
    counts = state_counts(guide)
    apps = Application.objects.filter(guide=guide)
    verify = apps.filter(state=State.RECHECKED, subprogramme="honors").count()
    waiting = (apps.filter(state=State.RECHECKED, panel_entry__isnull=True)
               .exclude(subprogramme="honors").values("subprogramme").annotate(n=Count("id")))
    reviewed = apps.filter(state=State.REVIEWED).values("subprogramme").annotate(n=Count("id"))
    out = [
        f"officer：受理审查队列中有 {counts[State.SUBMITTED]} 件待受理，"
        f"{counts[State.SUPPLEMENTING]} 件待补正；{verify} 件荣誉类已复审待核查；"
        + "、".join(f"{_short(guide, w['subprogramme'])} {w['n']} 件已复审待组建专家组"
                   for w in waiting)
        + "；资助管理中 "
        + "、".join(f"{_short(guide, r['subprogramme'])} {r['n']} 件" for r in reviewed)
        + " 已评审，待不予资助情形查询和拟定资助方案",
        f"rechecker：复审队列中有 {counts[State.ACCEPTED]} 件已受理待复审",
    ]
    for panel in Panel.objects.filter(guide=guide).select_related("chair__user"):
        members = list(PanelMember.objects.filter(panel=panel, status="active")
                       .select_related("expert__user").order_by("seat"))
        if panel.status == Panel.Status.DRAWN:
            sheets = ScoreSheet.objects.filter(panel=panel).exclude(status="void")
            expected = len(members) * panel.entries.count()
            confirmed = sheets.filter(status=ScoreSheet.Status.CONFIRMED).count()
            chair = panel.chair.user.username if panel.chair else "—"
            others = "、".join(m.expert.user.username for m in members
                              if m.expert_id != panel.chair_id)
            mine = sheets.filter(member__expert=panel.chair,
                                 status=ScoreSheet.Status.CONFIRMED).count()
            out.append(
                f"{chair}（组长）：“{panel.name}”评审中，{panel.entries.count()} 件申请，"
                f"本人已确认 {mine} 份评分表；全组 {confirmed}/{expected} 份已确认，"
                "可在“排名”页查看部分排名；同组专家 " + others)
        else:
            out.append(f"“{panel.name}”已定稿（组长 "
                       f"{panel.chair.user.username if panel.chair else '—'}），"
                       f"{panel.entries.count()} 件申请进入“已评审”")
    open_requests = Supplementation.objects.open().filter(
        application__guide=guide, application__organisation__users__username=data.DEMO_APPLICANT
    ).count()
    mine = apps.filter(organisation__users__username=data.DEMO_APPLICANT)
    out.append(f"{data.DEMO_APPLICANT}：{mine.count()} 件申请，其中 {open_requests} 件有待答复的"
               "补正通知（可在限期内补正后重新提交）")
    out.append("其他申报单位：" + "、".join(o.username for o in data.ORGANISATIONS)
               + "（各自的申请、时间线和通知）")
    for plan in FundingPlan.objects.filter(guide=guide).select_related("guide"):
        out.append(f"director：{plan}已征求意见完毕，待集体研究决策（{plan.reason}）；"
                   "决策后由 officer 公示，公示期满下达，finance 拨付")
    out.append(f"auditor：全部 {apps.count()} 件申请的时间线和审计记录")
    return out
