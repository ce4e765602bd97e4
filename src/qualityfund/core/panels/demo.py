"""A demo expert pool: experts across every field, from universities, institutes and firms."""

from django.db import transaction

from qualityfund.core.accounts.demo import DEMO_PASSWORD
from qualityfund.core.accounts.models import Role, User
from qualityfund.domain.credit_code import make_valid

from .models import EXPERTISE, Expert

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = ("建华", "晓东", "丽娟", "志强", "海燕", "国平", "文静", "伟", "明", "秀英")
EMPLOYERS = (
    ("12440300MB2E0001", "深圳大学"), ("12440300MB2E0002", "南方科技大学"),
    ("12440300MB2E0003", "深圳市计量质量检测研究院"), ("12440300MB2E0004", "深圳市标准技术研究院"),
    ("12440300MB2E0005", "哈尔滨工业大学（深圳）"), ("91440300MA5E0006", "深圳市品质认证咨询有限公司"),
)
TITLES = ("教授", "研究员", "正高级工程师", "高级工程师", "高级经济师")


@transaction.atomic
def create_demo_experts(count: int = 30) -> list[Expert]:
    """``count`` experts ``expert01``… with the demo password; run again, nothing doubles."""
    experts = []
    for i in range(count):
        username = f"expert{i + 1:02d}"
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        user, created = User.objects.get_or_create(
            username=username, defaults={"role": Role.EXPERT, "last_name": name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        code, employer = EMPLOYERS[i % len(EMPLOYERS)]
        expertise = sorted({EXPERTISE[i % len(EXPERTISE)], EXPERTISE[(i * 5 + 3) % len(EXPERTISE)],
                            "质量管理" if i % 2 else "质量技术攻关"})
        expert, _ = Expert.objects.update_or_create(user=user, defaults={
            "name": name, "title": TITLES[i % len(TITLES)], "employer_name": employer,
            "employer_code": make_valid(code + "X"), "expertise": expertise,
            "email": f"{username}@experts.example.cn", "phone": f"1380000{i + 1:04d}"})
        experts.append(expert)
    return experts
