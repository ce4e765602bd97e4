"""A year whose plans can be put in any state, for the pages."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.funding import services
from tests import factories
from tests.core.funding.builders import clear, reviewed


def brand_year(guide, officer, n: int, start: int = 0, subprogramme: str = "brand"):
    """``n`` cleared applications of ``n`` organisations, scores 95, 94.5, …"""
    apps = []
    for i in range(start, start + n):
        org = factories.make_organisation(f"深圳市品牌{i:03d}科技有限公司")
        apps.append(reviewed(guide, org, subprogramme, score=95 - i * 0.5, officer=officer,
                             name=f"示范项目{subprogramme}{i:03d}", requested=250_000))
    for application in apps:
        clear(application, officer)
    return apps


def advance(plan, officer, director, to: str):
    """Take a drafted plan through the lifecycle up to state ``to``."""
    order = ["consultation", "decided", "noticed", "final"]
    for step in order[: order.index(to) + 1]:
        plan.refresh_from_db()
        if step == "consultation":
            services.send_for_consultation(plan, ["市财政局"], by=officer)
            for c in plan.consultations.all():
                services.record_opinion(c, "同意", by=officer)
        elif step == "decided":
            services.record_decision(
                plan, meeting_date=timezone.localdate(), decision="同意",
                minutes=SimpleUploadedFile("纪要.pdf", factories.pdf_bytes()), by=director)
        elif step == "noticed":
            services.publish_notice(plan, by=officer)
        else:
            services.finalise_plan(plan, by=officer,
                                   at=plan.notice_ends_at + timedelta(seconds=1))
    plan.refresh_from_db()
    return plan


def reviewed_left(guide) -> int:
    return Application.objects.filter(guide=guide, state=State.REVIEWED).count()
