"""Demo accounts for every role of DESIGN.md, for `make run`. Idempotent."""

from datetime import date

from django.db import transaction

from qualityfund.domain.credit_code import make_valid

from .models import Organisation, Role, TrustLevel, User

DEMO_PASSWORD = "demo-pass-2025"

DEMO_ORGANISATIONS = [
    ("91440300MA5FRD8X1", "深圳市品质示范科技有限公司", "南山区", "计算机、通信和其他电子设备制造业"),
    ("91440300MA5GTQ2W3", "深圳市湾区检测认证服务有限公司", "福田区", "专业技术服务业"),
]

STAFF = [
    ("officer", Role.OFFICER, "受理", "王"),
    ("rechecker", Role.RECHECKER, "复审", "李"),
    ("expert", Role.EXPERT, "专家", "陈"),
    ("director", Role.DIRECTOR, "局领导", "张"),
    ("finance", Role.FINANCE, "财务", "刘"),
    ("auditor", Role.AUDITOR, "纪检", "赵"),
    ("admin", Role.ADMIN, "管理员", "周"),
]


def _organisation(prefix: str, name: str, district: str, industry: str) -> Organisation:
    code = make_valid(prefix)
    organisation, _ = Organisation.objects.get_or_create(credit_code=code, defaults={
        "name": name, "account_subject_name": name, "established_on": date(2016, 3, 18),
        "legal_representative": "林建国", "district": district, "industry": industry,
        "address": f"深圳市{district}科技园示范路1号", "contact_name": "黄晓明",
        "contact_phone": "0755-86000000", "contact_email": "contact@example.cn",
        "bank_account_name": name, "bank_name": "中国银行深圳分行",
        "bank_account_number": "7440 0000 0000 0001", "trust_level": TrustLevel.L5,
    })
    return organisation


def _user(username: str, role: str, last: str, first: str, organisation=None) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={
        "role": role, "last_name": last, "first_name": first, "organisation": organisation,
        "email": f"{username}@example.cn", "is_staff": role == Role.ADMIN,
        "is_superuser": role == Role.ADMIN,
    })
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_demo_accounts() -> list[User]:
    users = []
    for i, (prefix, name, district, industry) in enumerate(DEMO_ORGANISATIONS, start=1):
        org = _organisation(prefix, name, district, industry)
        users.append(_user("applicant" if i == 1 else f"applicant{i}", Role.APPLICANT,
                           "黄", "经办", org))
    users += [_user(username, role, last, first) for username, role, first, last in STAFF]
    return users
