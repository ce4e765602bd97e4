"""Building blocks the tests share: organisations, users, filled applications, small files."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qualityfund.core.accounts.models import Organisation, Role, User
from qualityfund.core.applications import services
from qualityfund.domain.credit_code import make_valid

PASSWORD = "test-pass-2025!"

# Figures that meet every hard condition of the 2025 guide, per sub-programme.
PASSING_FIGURES = {
    "honors": {"award_event": "国际质量管理小组大会（ICQCC）优胜项目", "award_year": "2024",
               "award_name": "2024年国际质量管理小组大会金奖"},
    "qi-service": {"completed_on": "2024-11-30", "is_one_stop_platform": "true",
                   "smes_served": "120", "labour_productivity_gain_percent": "8.5",
                   "quality_loss_reduction_percent": "12", "typical_cases": "4"},
    "gba": {"completed_on": "2024-10-20", "activity_form": "高端论坛", "gba_regions": "7",
            "participating_units": "45", "hk_macao_units": "8", "media_reports": "6"},
    "brand": {"completed_on": "2024-12-01", "coverage_percent": "62", "public_reach": "8000",
              "typical_experiences": "3", "satisfaction_percent": "91",
              "published_list": "false", "influential_media": "1"},
    "innovation": {"completed_on": "2024-09-30", "project_type": "质量技术攻关",
                   "funded_before_same_core": "false",
                   "cost_benefit_summary": "投入120万元，年节约质量成本300万元"},
    "digital": {"completed_on": "2024-12-20", "e_report_rate_percent": "75",
                "key_process_percent": "60", "data_shared": "true", "digital_tools": "3"},
    "incubation": {"has_core_ip": "true", "gbt19580_since": "2022-05-01",
                   "received_quality_award_funding": "false"},
}

REQUESTED = {"qi-service": 300_000, "innovation": 200_000, "digital": 280_000}

_counter = iter(range(10_000, 99_999))


def make_organisation(name: str = "深圳市测试质量科技有限公司", **overrides) -> Organisation:
    n = next(_counter)
    fields = {
        "credit_code": make_valid(f"91440300MA5{n:05d}X"),
        "name": name, "account_subject_name": name, "bank_account_name": name,
        "established_on": date(2015, 5, 1), "legal_representative": "林建国",
        "district": "南山区", "industry": "专业技术服务业", "address": "深圳市南山区科技园1号",
        "contact_name": "黄晓明", "contact_phone": "0755-86000000",
        "contact_email": "contact@example.cn", "trust_level": 5,
    }
    fields.update(overrides)
    return Organisation.objects.create(**fields)


def make_user(role: str = Role.APPLICANT, organisation=None, username=None) -> User:
    username = username or f"{role}-{next(_counter)}"
    user = User(username=username, role=role, organisation=organisation,
                last_name="测", first_name="试")
    user.set_password(PASSWORD)
    user.save()
    return user


def pdf_bytes(text_pages: int = 1) -> bytes:
    """A small real PDF (blank pages drawn by Pillow)."""
    pages = [Image.new("RGB", (595, 842), "white") for _ in range(text_pages)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=72)
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str = "file.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes())


def fill_application(application, user, *, with_materials: bool = True):
    """Fill ``application`` so that every hard condition is met, materials included."""
    key = application.subprogramme
    fields = {"project_name": f"{application.spec.short_name}示范项目",
              "summary": "项目围绕中小企业质量提升开展综合服务，已于2024年实施完毕。",
              "implementation_district": "南山区", "started_on": date(2024, 2, 1)}
    if key in REQUESTED:
        fields["requested_amount"] = REQUESTED[key]
    application = services.save_draft(application, by=user, fields=fields,
                                      figures=PASSING_FIGURES[key])
    if with_materials:
        for material in application.spec.materials:
            if material.generated:
                continue
            if material.alternative_group and material.template is None:
                continue  # one material of the group suffices
            services.upload_material(application, material.key, upload(f"{material.key}.pdf"),
                                     by=user)
    return application
