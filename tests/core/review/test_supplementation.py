"""补正: items with reasons, a working-day deadline, changes only to the listed items,
resubmission, and 视为放弃 when the deadline passes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from qualityfund.core.applications import services as applications
from qualityfund.core.applications.states import State
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.common.tasks import run_deferred
from qualityfund.core.notifications.models import Notification
from qualityfund.core.review import services
from qualityfund.core.review.models import Supplementation
from qualityfund.core.review.services import ItemRequest
from tests import factories

TZ = ZoneInfo("Asia/Shanghai")
PLEDGE = ItemRequest("material:pledge", "承诺书未加盖公章")
SMES = ItemRequest("figure:smes_served", "服务中小企业数量与成果报告不一致")


def test_the_deadline_counts_working_days_across_national_day_and_its_make_up_day(
        submit, officer):
    application = submit()
    # Mon 29 Sep 2025: 30 Sep, 9 Oct, 10 Oct, Sat 11 Oct (调休 working day), 13 Oct.
    request = services.request_supplementation(
        application, by=officer, items=[PLEDGE], at=datetime(2025, 9, 29, 10, tzinfo=TZ))

    assert request.workdays == 5
    assert request.deadline == datetime(2025, 10, 13, 18, tzinfo=TZ)
    application.refresh_from_db()
    assert application.state == State.SUPPLEMENTING
    step = application.state_changes.get(to_state=State.SUPPLEMENTING)
    assert "请于2025年10月13日 18:00前补正（5个工作日）" in step.note


def test_the_request_is_recorded_and_the_applicant_told_by_every_channel(
        submit, officer, applicant, caplog, django_capture_on_commit_callbacks):
    applicant.phone = "13800138000"
    applicant.save()
    application = submit()

    with django_capture_on_commit_callbacks(execute=True):
        services.request_supplementation(application, by=officer, items=[PLEDGE, SMES],
                                         note="请一并核对")

    audit = AuditRecord.objects.get(action="review.request_supplementation")
    assert audit.data["items"] == ["material:pledge", "figure:smes_served"]
    notice = Notification.objects.get(recipient=applicant)
    assert notice.title == "请补正申报材料"
    assert "②承诺书（含廉洁承诺书及合规承诺书）：承诺书未加盖公章" in notice.body
    assert "逾期未补齐的，视为放弃申报" in notice.body
    with caplog.at_level("INFO", logger="qualityfund.notifications"):
        run_deferred()
    assert [m.to for m in mail.outbox] == [[applicant.organisation.contact_email]]
    assert "请补正申报材料" in mail.outbox[0].subject
    assert "承诺书未加盖公章" in mail.outbox[0].body
    assert "[短信] 13800138000：【质量品牌专项资金】请补正申报材料" in caplog.text
    notice.refresh_from_db()
    assert notice.delivered == {"email": True, "sms": True}


@pytest.mark.parametrize(("items", "workdays", "message"), [
    ([], 5, "请至少列出一项"),
    ([ItemRequest("material:nonsense", "x")], 5, "不是本申请的申报材料或填报内容"),
    ([ItemRequest("material:pledge", " ")], 5,
     "“②承诺书（含廉洁承诺书及合规承诺书）”：请写明需补正的原因"),
    ([PLEDGE, PLEDGE], 5, "重复列出"),
    ([PLEDGE], 0, "补正期限须为1至20个工作日，当前为0"),
])
def test_a_request_names_items_with_reasons_and_a_sane_period(submit, officer, items, workdays,
                                                              message):
    application = submit()
    with pytest.raises(RuleViolation, match=message):
        services.request_supplementation(application, by=officer, items=items,
                                         workdays=workdays)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_the_applicant_changes_only_the_listed_items(submit, officer, applicant):
    application = submit()
    services.request_supplementation(application, by=officer, items=[PLEDGE, SMES])

    with pytest.raises(RuleViolation, match="只能修改补正通知所列事项，“③项目成果报告”不在其中"):
        applications.upload_material(application, "report", factories.upload("r.pdf"),
                                     by=applicant)
    with pytest.raises(RuleViolation, match="“项目名称”不在其中"):
        applications.save_draft(application, by=applicant, fields={"project_name": "改名"})
    applications.upload_material(application, "pledge", factories.upload("盖章.pdf"),
                                 by=applicant)
    applications.save_draft(application, by=applicant, figures={"smes_served": "150"})
    application.refresh_from_db()
    assert application.figures["smes_served"] == "150"


def test_resubmission_needs_every_listed_item_changed_and_shows_what_changed(
        submit, officer, applicant):
    application = submit()
    old_pdf_hash = application.form_sha256
    services.request_supplementation(application, by=officer, items=[PLEDGE, SMES])
    applications.upload_material(application, "pledge", factories.upload("盖章.pdf",
                                 factories.pdf_bytes(2)), by=applicant)

    untouched = "以下补正事项尚未修改，不能提交补正：“服务的中小企业数量（家）”"
    with pytest.raises(RuleViolation, match=untouched):
        applications.resubmit(application, by=applicant)

    applications.save_draft(application, by=applicant, figures={"smes_served": "150"})
    applications.resubmit(application, by=applicant)

    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.form_sha256 != old_pdf_hash
    request = Supplementation.objects.get(application=application)
    assert request.status == "met"
    assert request.changes["fields"] == [{"key": "figure:smes_served", "label":
                                          request.changes["fields"][0]["label"],
                                          "before": "120", "after": "150"}]
    assert [f["name"] for f in request.changes["files"]] == ["盖章.pdf"]
    assert request.changes["files"][0]["replaces"] is not None
    assert [s.to_state for s in application.state_changes.all()] == [
        "draft", "submitted", "supplementing", "submitted"]


def test_a_passed_deadline_makes_the_application_abandoned(submit, officer, applicant):
    late, on_time = submit(), submit()
    now = timezone.now()
    services.request_supplementation(late, by=officer, items=[PLEDGE], workdays=1,
                                     at=now - timedelta(days=10))
    services.request_supplementation(on_time, by=officer, items=[PLEDGE])

    with pytest.raises(RuleViolation, match="补正期限已于.*截止"):
        applications.upload_material(late, "pledge", factories.upload(), by=applicant)
    with pytest.raises(RuleViolation, match="逾期未补齐的，视为放弃申报"):
        applications.resubmit(late, by=applicant)

    abandoned = services.abandon_overdue(now=now)

    assert [a.pk for a in abandoned] == [late.pk]
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.state, on_time.state) == (State.ABANDONED, State.SUPPLEMENTING)
    assert late.supplementations.get().status == "lapsed"
    assert late.state_changes.last().by is None
    assert Notification.objects.filter(application=late,
                                       title="逾期未补正，视为放弃申报").exists()
    assert services.abandon_overdue(now=now) == []


def test_withdrawing_while_supplementing_closes_the_request(submit, officer, applicant):
    application = submit()
    services.request_supplementation(application, by=officer, items=[PLEDGE])
    applications.withdraw(application, by=applicant, reason="不再申报")
    assert application.supplementations.get().status == "closed"
