"""The expert pool: Excel export and all-or-nothing import with row-and-column messages."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from qualityfund.core.accounts.models import Role
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.panels import pool
from qualityfund.core.panels.models import Expert
from qualityfund.domain.credit_code import make_valid
from tests import factories

from .support import make_expert

GOOD = make_valid("12440300MB2000001")
RELATED = make_valid("91440300MA5000002")


def workbook(*rows, header=pool.COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(username="zhangsan", **overrides):
    values = {"登录名": username, "姓名": "张三", "职称": "教授", "手机号码": "13800000000",
              "邮箱": "zhangsan@example.cn", "工作单位": "深圳大学", "工作单位统一社会信用代码": GOOD,
              "专业领域": "质量管理、标准化", "关联单位": f"{RELATED} 深圳市某科技有限公司",
              "可参加本年度评审": "是"}
    values.update(overrides)
    return [values[c] for c in pool.COLUMNS]


@pytest.fixture
def admin(db):
    return factories.make_user(Role.ADMIN)


def test_import_creates_experts_with_logins_and_export_round_trips(admin):
    result = pool.import_experts(workbook(row(), row("lisi", 姓名="李四", 关联单位="",
                                                     可参加本年度评审="否")), by=admin)
    assert result.created == ["zhangsan", "lisi"]
    zhang = Expert.objects.get(user__username="zhangsan")
    assert zhang.user.role == Role.EXPERT and not zhang.user.has_usable_password()
    assert zhang.expertise == ["质量管理", "标准化"] and zhang.relation_codes == [RELATED]
    assert not Expert.objects.get(name="李四").available
    exported = pool.export_workbook(Expert.objects.select_related("user"))
    sheet = load_workbook(io.BytesIO(exported)).active
    assert [c.value for c in sheet[1]] == list(pool.COLUMNS)
    again = pool.import_experts(exported, by=admin)
    assert again.created == [] and sorted(again.updated) == ["lisi", "zhangsan"]
    password = pool.issue_password(zhang, by=admin)
    zhang.user.refresh_from_db()
    assert zhang.user.check_password(password)


def test_every_problem_names_its_row_and_column_and_nothing_is_saved(admin):
    content = workbook(
        row(),
        row("bad code", 工作单位统一社会信用代码="91440300MA5000002Z", 专业领域="质量管理、烹饪",
            邮箱="not-an-email", 关联单位="123 某公司"),
        row("zhangsan", 姓名=""),
        row("x5", 可参加本年度评审="也许"),
        row("x6", 姓名="王\u202e五", 工作单位="深圳" + "大" * 199),
    )
    with pytest.raises(RuleViolation) as caught:
        pool.import_experts(content, by=admin)
    problems = caught.value.problems
    assert "第3行“登录名”列：只能由3至150位字母、数字和 _ . @ + - 组成" in problems
    assert any(p.startswith("第3行“工作单位统一社会信用代码”列：") for p in problems)
    assert any(p.startswith("第3行“专业领域”列：“烹饪”不在专家库的专业领域中") for p in problems)
    assert "第3行“邮箱”列：“not-an-email”不是有效的邮箱地址" in problems
    assert any(p.startswith("第3行“关联单位”列：“123 某公司”") for p in problems)
    assert "第4行“姓名”列：不能为空" in problems and "第4行“登录名”列：与第2行重复" in problems
    assert "第5行“可参加本年度评审”列：应填“是”或“否”" in problems
    assert "第6行“姓名”列：姓名含有不可见字符 U+202E（从右至左覆盖），请删除后重新填写" in problems
    assert "第6行“工作单位”列：工作单位不能超过200字（当前201字），请精简后重新填写" in problems
    assert not Expert.objects.exists()


def test_import_refuses_a_missing_column_a_non_workbook_and_other_roles(admin, officer):
    with pytest.raises(RuleViolation, match="缺少列：专业领域"):
        pool.import_experts(workbook(header=[c for c in pool.COLUMNS if c != "专业领域"]),
                            by=admin)
    with pytest.raises(RuleViolation, match="不是有效的 Excel"):
        pool.import_experts(b"not a workbook", by=admin)
    with pytest.raises(RuleViolation, match="第2行“登录名”列：.*已被其他角色的账号使用"):
        pool.import_experts(workbook(row(officer.username)), by=admin)
    with pytest.raises(PermissionDenied):
        pool.import_experts(workbook(row()), by=officer)


def test_availability_is_audited_and_only_admins_change_it(admin, officer):
    expert = make_expert()
    pool.set_availability(expert, False, by=admin)
    assert not Expert.objects.get(pk=expert.pk).available
    with pytest.raises(PermissionDenied):
        pool.set_availability(expert, True, by=officer)


def test_seed_experts_is_idempotent(db):
    out = io.StringIO()
    call_command("seed_experts", "--count", "12", stdout=out)
    call_command("seed_experts", "--count", "12", stdout=io.StringIO())
    assert Expert.objects.count() == 12 and "expert01" in out.getvalue()
    assert {e for x in Expert.objects.all() for e in x.expertise} >= {"质量管理", "质量技术攻关"}
