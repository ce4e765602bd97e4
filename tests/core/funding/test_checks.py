"""Imported lists, their validation, and the source interface a live service plugs into."""

import json
from datetime import date

import pytest

from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.funding import services
from qualityfund.core.funding.models import DisqualifierCheck, ListEntry
from qualityfund.core.funding.sources import CheckSource, Finding, source_for
from tests import factories

from .builders import csv_upload, reviewed, xlsx_upload

HEADER = ["统一社会信用代码", "名称", "日期", "来源"]


def test_a_list_from_excel_replaces_the_previous_one(admin_user):
    org = factories.make_organisation("深圳市破产样本有限公司")
    services.import_list("bankruptcy", csv_upload("a.csv", [HEADER, [
        org.credit_code, org.name, "2025/01/02", "人民法院公告网"]]), by=admin_user)
    services.import_list("bankruptcy", xlsx_upload("b.xlsx", [HEADER, [
        org.credit_code, org.name, date(2025, 3, 4), "人民法院公告网"]]), by=admin_user)
    assert list(ListEntry.objects.values_list("listed_on", flat=True)) == [date(2025, 3, 4)]


def test_every_bad_cell_is_named_by_row_and_column(admin_user):
    with pytest.raises(RuleViolation) as caught:
        services.import_list("dishonesty_list", xlsx_upload("bad.xlsx", [
            HEADER,
            ["91440300MA5F000010", "甲", "2025-01-01", "信用中国"],
            ["", "乙", "2025-13-01", ""],
        ]), by=admin_user)
    problems = caught.value.problems
    assert "第2行“统一社会信用代码”列：统一社会信用代码校验位错误" in problems[0]
    assert problems[1] == "第3行“统一社会信用代码”列：不能为空"
    assert problems[2].startswith("第3行“日期”列：“2025-13-01”不是有效日期")
    assert problems[3] == "第3行“来源”列：不能为空"
    assert not ListEntry.objects.exists()
    with pytest.raises(RuleViolation, match="第1行（表头）缺少“来源”列"):
        services.import_list("dishonesty_list", csv_upload("h.csv", [HEADER[:3]]), by=admin_user)


def test_only_admins_import(officer):
    with pytest.raises(Exception, match="无权"):
        services.import_list("dishonesty_list", csv_upload("a.csv", [HEADER]), by=officer)


class CourtNoticeFile:
    """A live source standing in for a service: answers from a JSON file it is pointed at."""

    kind = "bankruptcy"
    path = None

    def describe(self) -> str:
        return "人民法院公告网（在线查询）"

    def lookup(self, organisation) -> list[Finding]:
        records = json.loads(self.path.read_text(encoding="utf-8"))
        return [Finding(**r) for r in records if r["credit_code"] == organisation.credit_code]


def test_a_live_service_plugs_in_behind_the_same_interface(settings, tmp_path, guide, officer):
    org = factories.make_organisation("深圳市在线查询有限公司")
    CourtNoticeFile.path = tmp_path / "court.json"
    CourtNoticeFile.path.write_text(json.dumps([{
        "credit_code": org.credit_code, "name": org.name, "listed_on": "2025-05-05",
        "source": "（2025）粤03破12号"}]), encoding="utf-8")
    settings.FUNDING_CHECK_SOURCES = {"bankruptcy": f"{__name__}.CourtNoticeFile"}
    assert isinstance(source_for("bankruptcy"), CheckSource)
    application = reviewed(guide, org, "brand", score=80, officer=officer)
    services.run_checks(application, by=officer)
    check = DisqualifierCheck.objects.get(application=application, check_kind="bankruptcy")
    assert (check.outcome, check.source) == ("hit", "人民法院公告网（在线查询）")
    assert check.findings[0]["source"] == "（2025）粤03破12号"
    # Re-running keeps the earlier record, superseded.
    services.run_checks(application, by=officer)
    assert DisqualifierCheck.objects.filter(application=application,
                                            check_kind="bankruptcy").count() == 2


def test_each_situation_with_a_source_is_checked_once(guide, officer):
    application = reviewed(guide, factories.make_organisation("深圳市普通有限公司"), "brand",
                           score=80, officer=officer)
    checks = services.run_checks(application, by=officer)
    assert [c.clause for c in checks] == ["七（七）2", "七（七）3", "七（七）4", "七（七）5",
                                          "七（七）6", "七（七）7"]
    assert all(c.outcome == "clear" and c.ran_by == officer for c in checks)
    assert "尚未导入" in checks[0].source
    services.clear_application(application, by=officer)
    application.refresh_from_db()
    assert application.state == "cleared"
