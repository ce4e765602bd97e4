"""不予资助情形查询 against lists: a check that could not look is 未能查询, never 未发现; lists
are imported by one officer and approved by another; providers behind one interface; the
officer's own judgement of 七（七）1 and 8."""

import json
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qualityfund.core.applications.states import State
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.funding import services
from qualityfund.core.funding.models import DisqualifierCheck, ListEntry, ListImport
from qualityfund.core.funding.sources import CheckSource, Finding, source_for
from tests import factories

from .builders import (
    LIST_HEADER,
    csv_upload,
    judge,
    lists_in_force,
    reviewed,
    xlsx_upload,
)

SOURCE = "信用中国（广东深圳）2025年7月1日导出"


@pytest.fixture
def application(guide, officer):
    return reviewed(guide, factories.make_organisation("深圳市查询样本有限公司"), "brand",
                    score=80, officer=officer)


def _current(application, kind) -> DisqualifierCheck:
    return application.disqualifier_checks.get(check_kind=kind, superseded=False)


def test_lists_never_imported_give_no_answer_and_block_clearance(application, officer):
    """The bug: the checks answered 未发现 against five lists never imported, and could be
    confirmed."""
    checks = services.run_checks(application, by=officer)
    assert [c.clause for c in checks] == [f"七（七）{n}" for n in range(1, 9)]
    unavailable = [c for c in checks if c.outcome == "unavailable"]
    assert [c.clause for c in unavailable] == ["七（七）2", "七（七）3", "七（七）4",
                                               "七（七）6", "七（七）7"]
    assert all("名单尚未导入" in c.note for c in unavailable)
    assert unavailable[0].get_outcome_display() == "未能查询（名单未导入/已过期）"
    with pytest.raises(RuleViolation, match="未能查询：所处行业属于") as refused:
        services.clear_application(application, by=officer)
    assert "待经办人员判断：不符合专项资金管理办法" in refused.value.message
    application.refresh_from_db()
    assert application.state == State.REVIEWED


def test_a_list_older_than_its_freshness_setting_gives_no_answer(application, officer,
                                                                 settings):
    lists_in_force()
    ListImport.objects.filter(kind="dishonesty_list").update(
        imported_at=timezone.now() - timedelta(days=31))
    services.run_checks(application, by=officer)
    stale = _current(application, "dishonesty_list")
    assert stale.outcome == "unavailable" and "已超过30天的有效期" in stale.note
    settings.FUNDING_LIST_MAX_AGE_DAYS = {"dishonesty_list": 60}
    services.run_checks(application, by=officer)
    assert _current(application, "dishonesty_list").outcome == "clear"
    judge(application, officer)
    services.clear_application(application, by=officer)


def test_a_list_takes_effect_only_when_a_second_officer_approves_it(application, officer,
                                                                    rechecker, admin_user):
    org = application.organisation
    with pytest.raises(PermissionDenied):
        services.import_list("bankruptcy", csv_upload("a.csv", [LIST_HEADER]), source=SOURCE,
                             by=admin_user)
    with pytest.raises(RuleViolation, match="请填写名单来源"):
        services.import_list("bankruptcy", csv_upload("a.csv", [
            LIST_HEADER, [org.credit_code, org.name, "2025/01/02", "人民法院公告网"]]),
            source=" ", by=officer)
    first = services.import_list("bankruptcy", csv_upload("a.csv", [
        LIST_HEADER, [org.credit_code, org.name, "2025/01/02", "人民法院公告网"]]),
        source="人民法院公告网", by=officer)
    assert first.status == ListImport.Status.PENDING
    services.run_checks(application, by=officer)
    assert _current(application, "bankruptcy").outcome == "unavailable"
    with pytest.raises(RuleViolation, match="导入人以外的另一名经办人员"):
        services.review_list(first, approve=True, by=officer)
    services.review_list(first, approve=True, by=rechecker)
    services.run_checks(application, by=officer)
    hit = _current(application, "bankruptcy")
    assert hit.outcome == "hit" and hit.findings[0]["listed_on"] == "2025-01-02"
    assert "来源：人民法院公告网" in hit.source and officer.display() in hit.source
    # A new version replaces the old one once approved; a rejected one is kept, unused.
    second = services.import_list("bankruptcy", xlsx_upload("b.xlsx", [
        LIST_HEADER, [org.credit_code, org.name, date(2025, 3, 4), "人民法院公告网"]]),
        source="人民法院公告网", by=rechecker)
    with pytest.raises(RuleViolation, match="退回名单须填写复核意见"):
        services.review_list(second, approve=False, by=officer)
    services.review_list(second, approve=True, by=officer)
    first.refresh_from_db()
    assert first.status == ListImport.Status.SUPERSEDED
    assert list(ListEntry.objects.values_list("listed_on", flat=True)) == [date(2025, 3, 4)]
    third = services.import_list("bankruptcy", csv_upload("c.csv", [LIST_HEADER, [
        org.credit_code, org.name, "2025-05-05", "人民法院公告网"]]), source="x", by=officer)
    services.review_list(third, approve=False, note="文件不全", by=rechecker)
    assert ListImport.objects.get(status=ListImport.Status.ACTIVE) == second
    with pytest.raises(RuleViolation, match="无需复核"):
        services.review_list(third, approve=True, by=rechecker)


def test_every_bad_cell_is_named_by_row_and_column(officer):
    with pytest.raises(RuleViolation) as caught:
        services.import_list("dishonesty_list", xlsx_upload("bad.xlsx", [
            LIST_HEADER,
            ["91440300MA5F000010", "甲", "2025-01-01", "信用中国"],
            ["", "乙", "2025-13-01", ""],
        ]), source=SOURCE, by=officer)
    problems = caught.value.problems
    assert "第2行“统一社会信用代码”列：统一社会信用代码校验位错误" in problems[0]
    assert problems[1] == "第3行“统一社会信用代码”列：不能为空"
    assert problems[2].startswith("第3行“日期”列：“2025-13-01”不是有效日期")
    assert problems[3] == "第3行“来源”列：不能为空"
    assert not ListEntry.objects.exists() and not ListImport.objects.exists()
    with pytest.raises(RuleViolation, match="第1行（表头）缺少“来源”列"):
        services.import_list("dishonesty_list", csv_upload("h.csv", [LIST_HEADER[:3]]),
                             source=SOURCE, by=officer)


def test_the_officer_judges_the_situations_no_list_answers(application, officer):
    lists_in_force()
    services.run_checks(application, by=officer)
    rule, other = (_current(application, k) for k in ("guide_requirements", "other_law"))
    assert (rule.clause, rule.outcome, rule.decision) == ("七（七）1", "judgement", "pending")
    with pytest.raises(RuleViolation, match="请填写判断理由"):
        services.decide_check(rule, confirm=False, reason="", by=officer)
    services.decide_check(rule, confirm=False, reason="经审核符合办法、规程和指南", by=officer)
    with pytest.raises(RuleViolation, match="待经办人员判断：法律法规规定的其他"):
        services.clear_application(application, by=officer)
    services.run_checks(application, by=officer)  # a re-run keeps the judgements given
    assert _current(application, "guide_requirements").decision_reason.startswith("经审核")
    other = _current(application, "other_law")
    services.decide_check(other, confirm=True, reason="该单位法定代表人被列为失信被执行人",
                          by=officer)
    application.refresh_from_db()
    assert application.state == State.DISQUALIFIED


class CourtNoticeFile:
    """A live source standing in for a service: answers from a JSON file it is pointed at."""

    kind = "bankruptcy"
    path = None

    def describe(self) -> str:
        return "人民法院公告网（在线查询）"

    def lookup(self, organisation) -> list[Finding]:
        records = json.loads(self.path.read_text(encoding="utf-8"))
        return [Finding(**r) for r in records if r["credit_code"] == organisation.credit_code]


class ServiceDown(CourtNoticeFile):
    def lookup(self, organisation):
        raise ConnectionError("connection refused")


class ServiceHangs(CourtNoticeFile):
    released = threading.Event()

    def lookup(self, organisation):
        self.released.wait(30)
        return []


def test_a_live_service_plugs_in_behind_the_same_interface(settings, tmp_path, application,
                                                           officer):
    org = application.organisation
    CourtNoticeFile.path = tmp_path / "court.json"
    CourtNoticeFile.path.write_text(json.dumps([{
        "credit_code": org.credit_code, "name": org.name, "listed_on": "2025-05-05",
        "source": "（2025）粤03破12号"}]), encoding="utf-8")
    settings.FUNDING_CHECK_SOURCES = {"bankruptcy": f"{__name__}.CourtNoticeFile"}
    assert isinstance(source_for("bankruptcy"), CheckSource)
    services.run_checks(application, by=officer)
    check = _current(application, "bankruptcy")
    assert (check.outcome, check.source) == ("hit", "人民法院公告网（在线查询）")
    assert check.findings[0]["source"] == "（2025）粤03破12号"
    # Re-running keeps the earlier record, superseded.
    services.run_checks(application, by=officer)
    assert DisqualifierCheck.objects.filter(application=application,
                                            check_kind="bankruptcy").count() == 2


def test_a_failing_or_silent_service_is_unavailable_never_clear(settings, application,
                                                                officer):
    settings.FUNDING_CHECK_SOURCES = {"bankruptcy": f"{__name__}.ServiceDown"}
    services.run_checks(application, by=officer)
    down = _current(application, "bankruptcy")
    assert (down.outcome, down.note) == ("unavailable", "查询服务出错（ConnectionError）")
    settings.FUNDING_CHECK_SOURCES = {"bankruptcy": f"{__name__}.ServiceHangs"}
    settings.FUNDING_CHECK_TIMEOUT = 0.2
    try:
        services.run_checks(application, by=officer)
    finally:
        ServiceHangs.released.set()
    silent = _current(application, "bankruptcy")
    assert (silent.outcome, silent.note) == ("unavailable", "查询服务超过0.2秒未答复")
    assert not silent.findings and silent.decision == ""
    judge(application, officer)
    with pytest.raises(RuleViolation, match="未能查询：经查询人民法院公告网"):
        services.clear_application(application, by=officer)


def test_with_every_list_in_force_the_checks_clear(guide, officer):
    application = reviewed(guide, factories.make_organisation("深圳市普通有限公司"), "brand",
                           score=80, officer=officer)
    lists_in_force()
    checks = services.run_checks(application, by=officer)
    assert {c.outcome for c in checks if c.check_kind not in (
        "guide_requirements", "other_law")} == {"clear"}
    assert all(c.ran_by == officer for c in checks)
    judge(application, officer)
    services.clear_application(application, by=officer)
    application.refresh_from_db()
    assert application.state == "cleared"
