"""Issue 5, "Done when": from panel results to money, through the services and key pages.

An officer clears the checks (a planted dishonesty-list hit and a planted duplicate pair are
caught), drafts the plans, consults, the director records the decision, the officer publishes
the notice and handles one objection, issues the final plan whose amounts follow the guide's
rules, and finance pays it with the totals reconciled to the fen.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.applications.models import Application, StateChange
from qualityfund.core.applications.states import State
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.funding import engine, queries, services
from qualityfund.core.funding.models import (
    DisqualifierCheck,
    DuplicatePair,
    FundingPlan,
    ItemStatus,
    Objection,
    Payment,
    PlanState,
)
from qualityfund.core.notifications.models import Notification
from qualityfund.domain.identity import with_check_digit
from qualityfund.domain.plan import simulate
from tests import factories

from .builders import import_approved, judge, lists_in_force, report_pdf, reviewed, xlsx_upload
from .texts import REPORT_A, REPORT_A_AGAIN

# brand: 12 organisations, 200,000 fixed, at most 10 projects and 1 per organisation.
BRAND_SCORES = [95, 93, 91, 90, 88, 86, 85, 84, 83, 82, 81, 80]


@pytest.fixture
def year(guide, officer):
    """The panel's results of one year, with the planted problems."""
    orgs = [factories.make_organisation(f"深圳市品牌{i:02d}有限公司") for i in range(12)]
    scene = {"orgs": orgs, "brand": []}
    for org, score in zip(orgs, BRAND_SCORES, strict=True):
        scene["brand"].append(reviewed(guide, org, "brand", score=score, officer=officer))
    # The best-scored brand organisation applies a second time: 1 per organisation.
    scene["brand_second"] = reviewed(guide, orgs[0], "brand", score=92, officer=officer)
    scene["dishonest"] = reviewed(
        guide, factories.make_organisation("深圳市失信样本科技有限公司"), "brand", score=99,
        officer=officer)
    twice = factories.make_organisation("深圳市重复申报电子有限公司")
    scene["dup_innovation"] = reviewed(
        guide, twice, "innovation", score=90, requested=250_000, name="关键零部件焊接质量攻关",
        report_pdf=report_pdf(REPORT_A), officer=officer)
    scene["dup_digital"] = reviewed(
        guide, twice, "digital", score=88, requested=280_000, name="电子制造质量数字化改造",
        report_pdf=report_pdf(REPORT_A_AGAIN), officer=officer)
    scene["innovation"] = reviewed(guide, factories.make_organisation("深圳市攻关甲有限公司"),
                                   "innovation", score=86, requested=150_000, officer=officer)
    scene["gba"] = reviewed(guide, factories.make_organisation("深圳市湾区论坛有限公司"), "gba",
                            score=90, tier=2, officer=officer)
    scene["incubation_ok"] = reviewed(guide, factories.make_organisation("深圳市孵化一有限公司"),
                                      "incubation", score=62, officer=officer)
    scene["incubation_low"] = reviewed(guide, factories.make_organisation("深圳市孵化二有限公司"),
                                       "incubation", score=45, officer=officer)
    scene["not_recommended"] = reviewed(guide, factories.make_organisation("深圳市未推荐有限公司"),
                                        "qi-service", score=70, recommended=False,
                                        requested=200_000, officer=officer)
    scene["qi"] = reviewed(guide, factories.make_organisation("深圳市优质服务有限公司"),
                           "qi-service", score=88, amount=260_000, requested=300_000,
                           officer=officer)
    return scene


def test_from_panel_results_to_money(year, guide, officer, director, finance,
                                     client):
    dishonest = year["dishonest"]
    # --- lists (one officer imports, another approves) and earlier projects ------------------
    import_approved("dishonesty_list", [
        [dishonest.organisation.credit_code, dishonest.organisation.name, "2025-03-01",
         "深圳市公共信用信息管理系统"],
        [factories.make_organisation("深圳市无关单位有限公司").credit_code, "无关单位",
         "2025-01-05", "深圳市公共信用信息管理系统"],
    ])
    lists_in_force()
    services.import_earlier(xlsx_upload("往年已资助.xlsx", [
        ["资助年度", "统一社会信用代码", "单位名称", "子项目", "项目名称", "项目简介", "资助金额（元）"],
        [2024, year["incubation_ok"].organisation.credit_code, "深圳市孵化一有限公司",
         "qi-service", "往年服务项目", "", 300000],
    ]), by=officer)

    # --- 不予资助情形查询 -------------------------------------------------------------------
    services.index_year(guide.year)
    for application in Application.objects.filter(guide=guide, state=State.REVIEWED):
        services.run_checks(application, by=officer)
    hit = dishonest.disqualifier_checks.get(check_kind="dishonesty_list", superseded=False)
    assert hit.outcome == "hit" and hit.findings[0]["source"] == "深圳市公共信用信息管理系统"
    assert hit.ran_by == officer and "严重失信主体名单" in hit.source
    pair = DuplicatePair.objects.get(application=year["dup_digital"])
    assert pair.other_application == year["dup_innovation"]
    assert pair.get_kind_display() == "多头/重复申报" and pair.similarity >= Decimal("0.5")
    assert pair.passages and "回流焊温度曲线" in pair.passages[0]["mine"] + "".join(
        p["mine"] for p in pair.passages)
    flagged = {c.application_id for c in DisqualifierCheck.objects.filter(
        outcome="hit", superseded=False)}
    assert flagged == {dishonest.pk, year["dup_digital"].pk, year["dup_innovation"].pk}

    # A hit does not disqualify by itself, nor can the application be cleared past it.
    dishonest.refresh_from_db()
    assert dishonest.state == State.REVIEWED
    with pytest.raises(RuleViolation, match="疑似情形待确认"):
        services.clear_application(dishonest, by=officer)
    with pytest.raises(RuleViolation, match="理由"):
        services.decide_check(hit, confirm=True, reason=" ", by=officer)
    services.decide_check(hit, confirm=True, reason="经查询，该单位在严重失信主体名单有效期内。",
                          by=officer)
    dishonest.refresh_from_db()
    assert dishonest.state == State.DISQUALIFIED
    note = StateChange.objects.filter(application=dishonest).last().note
    assert "被列入严重失信主体名单" in note and "有效期内" in note
    progress = client.get(reverse("web:application-progress", args=[dishonest.pk]))
    assert progress.status_code == 302  # only its organisation reads it …
    client.force_login(dishonest.organisation.users.first())
    assert "有效期内" in client.get(
        reverse("web:application-progress", args=[dishonest.pk])).content.decode()
    client.logout()

    # The duplicate: the later filing is disqualified, the first one's hit dismissed.
    for application, confirm, reason in (
            (year["dup_digital"], True, "与本单位质量攻关及创新子项目申报内容重复，属多头申报。"),
            (year["dup_innovation"], False, "该项目为首次申报，重复的一方已不予资助。")):
        check = application.disqualifier_checks.get(check_kind="duplicate", superseded=False)
        services.decide_check(check, confirm=confirm, reason=reason, by=officer)
    for application in Application.objects.filter(guide=guide, state=State.REVIEWED):
        judge(application, officer)
        services.clear_application(application, by=officer)
    assert Application.objects.filter(guide=guide, state=State.DISQUALIFIED).count() == 2

    # The key pages answer the officer with what was found.
    client.force_login(officer)
    page = client.get(reverse("web:funding-checks") + f"?guide={guide.pk}").content.decode()
    assert dishonest.project_name in page
    detail = client.get(reverse("web:funding-application-checks",
                                args=[year["dup_digital"].pk])).content.decode()
    assert "多头/重复申报" in detail and "回流焊温度曲线" in detail

    # --- the plans ----------------------------------------------------------------------------
    plans = {key: services.draft_plan(guide, key, by=officer)
             for key in ("brand", "innovation", "gba", "incubation", "qi-service")}
    brand = {i.application_id: i for i in plans["brand"].items.all()}
    funded = [year["brand"][i].pk for i in range(10)]
    assert all(brand[pk].status == ItemStatus.FUNDED and brand[pk].amount == 200_000
               for pk in funded)
    assert brand[year["brand"][10].pk].status == ItemStatus.NOT_FUNDED  # 11th: no place left
    assert "同一单位当年获得资助项目不超过1项" in brand[year["brand_second"].pk].engine_reason
    assert brand[year["brand"][0].pk].rank == 1 and brand[year["brand_second"].pk].rank == 3
    innovation = plans["innovation"].items.get(application=year["dup_innovation"])
    assert innovation.amount == 200_000 and "超过最高资助额20万元" in innovation.engine_reason
    assert plans["gba"].items.get().amount == 1_000_000
    incubation = {i.application_id: i for i in plans["incubation"].items.all()}
    assert incubation[year["incubation_ok"].pk].amount == 300_000
    assert incubation[year["incubation_low"].pk].status == ItemStatus.NOT_FUNDED
    qi = {i.application_id: i for i in plans["qi-service"].items.all()}
    assert qi[year["qi"].pk].amount == 260_000  # the panel's suggested amount
    assert "未予推荐" in qi[year["not_recommended"].pk].engine_reason
    # The plan is the engine's contract, computed from the guide file.
    items, _ = services.plan_inputs(guide, "brand")
    expected = simulate({"applications": items}, engine.guide_rules(guide.spec))
    assert {str(i.application_id): i.amount for i in plans["brand"].items.all()} == {
        str(r["id"]): r["amount"] for r in expected["results"]}

    # An officer changes an amount only with a reason, audited.
    gba_item = plans["gba"].items.get()
    with pytest.raises(RuleViolation, match="调整理由"):
        services.adjust_amount(gba_item, 900_000, reason="", by=officer)
    with pytest.raises(RuleViolation, match="最高资助额200万元"):
        services.adjust_amount(gba_item, 2_500_000, reason="多给", by=officer)
    services.adjust_amount(gba_item, 900_000, reason="活动规模小于申报，按实际核减", by=officer)
    record = AuditRecord.objects.filter(action="funding.plan.adjust").get()
    assert record.data["before"]["amount"] == 1_000_000 and record.data["reason"]

    # --- consultation, decision, notice ------------------------------------------------------
    # The bay-area organisation's account name differs from its name when the plan is decided
    # (the decision's snapshot keeps it so): payment is refused until it is put right.
    gba_org = year["gba"].organisation
    gba_org.bank_account_name = "湾区论坛公司"
    gba_org.save()
    minutes = factories.pdf_bytes()
    for plan in plans.values():
        services.send_for_consultation(plan, ["市财政局", "局规划财务处"], by=officer)
        for consultation in plan.consultations.all():
            services.record_opinion(consultation, "无意见", by=officer)
        with pytest.raises(Exception, match="无权"):
            services.record_decision(plan, meeting_date=timezone.localdate(),
                                     minutes=SimpleUploadedFile("纪要.pdf", minutes),
                                     decision="同意", by=officer)
        services.record_decision(plan, meeting_date=timezone.localdate(),
                                 minutes=SimpleUploadedFile("局长办公会纪要.pdf", minutes),
                                 decision="同意拟资助方案", by=director)
        services.publish_notice(plan, by=officer)
    with pytest.raises(RuleViolation, match="只能在"):
        services.adjust_amount(gba_item, 800_000, reason="决策后不能改", by=officer)
    brand_plan = FundingPlan.objects.get(pk=plans["brand"].pk)
    assert brand_plan.notice_ends_at > brand_plan.notice_starts_at + timedelta(days=4)

    notice = client.get(reverse("web:funding-notice", args=[guide.slug]))
    assert notice.status_code == 200
    text = notice.content.decode()
    assert year["brand"][0].organisation.name in text and "20.00" in text and "90.00" in text
    assert dishonest.organisation.name not in text

    target = brand_plan.items.get(application=year["brand"][9])
    with pytest.raises(RuleViolation, match="匿名异议不予受理"):
        services.file_objection(brand_plan, item=target, filer_kind="person", filer_name="",
                                filer_id="", phone="", content="该项目未实施")
    objection = services.file_objection(
        brand_plan, item=target, filer_kind="person", filer_name="张三",
        filer_id=with_check_digit("44030519800101123"), phone="13800000000",
        content="该项目的活动覆盖范围与申报不符。")
    with pytest.raises(RuleViolation, match="未处理答复"):
        services.finalise_plan(brand_plan, by=officer, at=brand_plan.notice_ends_at
                               + timedelta(seconds=1))
    services.answer_objection(objection, handling="经核查活动记录和媒体报道，覆盖范围属实。",
                              answer="经核实，异议不成立，维持拟资助方案。", by=officer)
    assert Objection.objects.get().answered

    # --- the final plan ----------------------------------------------------------------------
    with pytest.raises(RuleViolation, match="公示期未满"):
        services.finalise_plan(brand_plan, by=officer)
    for plan in plans.values():
        plan.refresh_from_db()
        services.finalise_plan(plan, by=officer, at=plan.notice_ends_at + timedelta(seconds=1))
    assert set(FundingPlan.objects.values_list("state", flat=True)) == {PlanState.FINAL}
    states = dict(Application.objects.filter(guide=guide).values_list("pk", "state"))
    assert all(states[pk] == State.FUNDED for pk in funded)
    assert states[year["brand"][10].pk] == State.NOT_FUNDED
    assert states[year["incubation_low"].pk] == State.NOT_FUNDED
    pdf = client.get(reverse("web:funding-plan-final-pdf", args=[brand_plan.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # --- payment ------------------------------------------------------------------------------
    planned = sum(Decimal(i.amount) for p in plans.values()
                  for i in p.items.filter(status=ItemStatus.FUNDED))
    assert planned == Decimal(10 * 200_000 + 200_000 + 150_000 + 900_000 + 300_000 + 260_000)
    client.force_login(finance)
    batch = services.create_batch(guide, "2025年第一批", list(services.payable_items(guide)),
                                  by=finance)
    told = Notification.objects.get(application=year["gba"], kind="funding.collect")
    assert "请按通知办理领款手续" in told.body and told.recipient.organisation == gba_org
    for payment in batch.payments.select_related("item__application"):
        if payment.item.application_id == year["gba"].pk:
            with pytest.raises(RuleViolation, match="不一致"):
                services.mark_paid(payment, reference="ZF-0001", by=finance)
            services.mark_failed(payment, reason="开户名与单位名称不一致", by=finance)
        else:
            services.mark_paid(payment, reference=f"ZF-{payment.pk:04d}", by=finance)
    gba_row = next(r for r in queries.reconciliation(guide) if r.plan.subprogramme == "gba")
    assert gba_row.unpaid == Decimal("900000.00") and not gba_row.balanced

    # Put right after the decision (an approved identity change), the account is paid only
    # once the director confirms it for the plan.
    gba_org.bank_account_name = gba_org.name
    gba_org.save()
    with pytest.raises(RuleViolation, match="由局领导在资助方案页面确认新账户"):
        services.create_batch(guide, "2025年第二批", list(services.payable_items(guide)),
                              by=finance)
    services.confirm_account(plans["gba"].items.get(), reason="开户名已更正，经核实无误",
                             by=director)
    retry = services.create_batch(guide, "2025年第二批", list(services.payable_items(guide)),
                                  by=finance)
    services.mark_paid(retry.payments.get(), reference="ZF-9999", by=finance)
    rows = queries.reconciliation(guide)
    assert all(r.balanced for r in rows)
    assert sum(r.paid for r in rows) == planned
    assert sum(Payment.objects.filter(status="paid").values_list("amount", flat=True)) == planned
    assert Application.objects.filter(guide=guide, state=State.DISBURSED).count() == 15
    page = client.get(reverse("web:funding-payments") + f"?guide={guide.pk}").content.decode()
    assert "已核平" in page and "未拨完" not in page
