"""The platform's own history feeds the checks of later years: what it funded is 往年已资助项目
without an import; what it did not fund is no reason to refuse a new application."""

from datetime import timedelta

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.applications.states import State
from qualityfund.core.funding import services
from qualityfund.core.funding.models import DuplicatePair, ItemStatus
from qualityfund.core.guides.services import load_guide
from qualityfund.domain.guide import GUIDE_2025
from tests import factories

from .builders import clear, cleared, judge, reviewed
from .texts import REPORT_A, REPORT_B


@pytest.fixture
def guide_2026(db, tmp_path):
    """Next year's guide, made as tests/core/guides makes it: the 2025 file, year moved."""
    data = yaml.safe_load(GUIDE_2025.read_text(encoding="utf-8"))
    data["year"] = 2026
    data["title"] = data["title"].replace("2025", "2026")
    data["window"] = {"opens_at": "2026-06-10T09:00:00+08:00",
                      "closes_at": "2026-07-01T18:00:00+08:00"}
    path = tmp_path / "quality-brand-2026.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_guide(path)


def _issue(guide, subprogramme, officer, director):
    plan = services.draft_plan(guide, subprogramme, by=officer)
    services.send_for_consultation(plan, ["市财政局"], by=officer)
    for consultation in plan.consultations.all():
        services.record_opinion(consultation, "同意", by=officer)
    services.record_decision(plan, meeting_date=timezone.localdate(), decision="同意",
                             minutes=SimpleUploadedFile("纪要.pdf", factories.pdf_bytes()),
                             by=director)
    plan = services.publish_notice(plan, by=officer)
    return services.finalise_plan(plan, by=officer, at=plan.notice_ends_at + timedelta(seconds=1))


def test_what_the_platform_funded_counts_in_later_years_without_an_import(
        guide, guide_2026, officer, director, client_of):
    incubated = factories.make_organisation("深圳市孵化往年有限公司")
    honoured = factories.make_organisation("深圳市荣誉往年有限公司")
    refused = factories.make_organisation("深圳市未获资助往年有限公司")
    # 2025, on the platform: two awards, and one application not funded (below 50 %).
    cleared(guide, incubated, "incubation", officer=officer, score=70)
    cleared(guide, refused, "incubation", officer=officer, score=40, summary=REPORT_B)
    cleared(guide, honoured, "honors", officer=officer, name="焊点零缺陷质量改进成果",
            summary=REPORT_A)
    _issue(guide, "incubation", officer, director)
    _issue(guide, "honors", officer, director)
    assert refused.applications.get().state == State.NOT_FUNDED

    # 2026: the same organisations apply again.
    again = reviewed(guide_2026, incubated, "incubation", score=80, officer=officer)
    repeat = reviewed(guide_2026, honoured, "honors", name="焊点零缺陷质量改进成果",
                      summary=REPORT_A, officer=officer)
    retry = reviewed(guide_2026, refused, "incubation", score=75, summary=REPORT_B,
                     officer=officer)
    for application in (again, repeat, retry):
        services.run_checks(application, by=officer)
    pair = DuplicatePair.objects.get(application=repeat)
    assert pair.other_application.guide == guide and pair.kind == "duplicate"
    assert not DuplicatePair.objects.filter(application=retry).exists()
    check = repeat.disqualifier_checks.get(check_kind="duplicate", superseded=False)
    services.decide_check(check, confirm=False, reason="荣誉类按规则核定，此处不作重复申报处理",
                          by=officer)
    for application in (again, repeat, retry):
        judge(application, officer)
        services.clear_application(application, by=officer)

    incubation = {i.application_id: i for i in services.draft_plan(
        guide_2026, "incubation", by=officer).items.all()}
    assert incubation[again.pk].status == ItemStatus.NOT_FUNDED
    assert "并非首次达到" in incubation[again.pk].engine_reason
    assert incubation[retry.pk].status == ItemStatus.FUNDED
    honors = services.draft_plan(guide_2026, "honors", by=officer).items.get()
    assert honors.status == ItemStatus.NOT_FUNDED
    assert "同一项目仅资助1次" in honors.engine_reason

    page = client_of(officer).get(reverse("web:funding-lists")).content.decode()
    assert "本平台资助的项目（资助计划下达后）自动纳入，共 2 个" in page


def test_an_import_is_still_read_for_the_years_before_the_platform(guide, officer):
    from .builders import xlsx_upload

    organisation = factories.make_organisation("深圳市平台以前有限公司")
    services.import_earlier(xlsx_upload("往年.xlsx", [
        ["资助年度", "统一社会信用代码", "单位名称", "子项目", "项目名称", "项目简介"],
        [2023, organisation.credit_code, organisation.name, "incubation", "卓越绩效导入", ""]]),
        by=officer)
    application = clear(reviewed(guide, organisation, "incubation", score=80, officer=officer),
                        officer)
    item = services.draft_plan(guide, "incubation", by=officer).items.get(
        application=application)
    assert "并非首次达到" in item.engine_reason
