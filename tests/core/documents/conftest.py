"""A submitted application built from the models, so the form can be checked in isolation."""

from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from qualityfund.core.applications.models import Application, MaterialFile
from qualityfund.core.applications.states import State

SUBMITTED_AT = datetime(2025, 6, 20, 2, 15, 30, tzinfo=UTC)  # 10:15:30 in Shanghai
REPORT_SHA = "9f2c4a1be0d35c7e8a6b4f1d2c3e5a7b9d0f1e2a3b4c5d6e7f8091a2b3c4d5e6"
PLEDGE_SHA = "0a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef"
OLD_PLEDGE_SHA = "ffffeeee" * 8


def pdf_text(data: bytes) -> list[str]:
    """Each page's text with all white space removed (layout breaks lines anywhere)."""
    from io import BytesIO

    return ["".join(page.extract_text().split()) for page in PdfReader(BytesIO(data)).pages]


@pytest.fixture
def submitted(guide_2025, organisation, applicant):
    """A qi-service application as it stands right after submission."""
    application = Application.objects.create(
        guide=guide_2025, subprogramme="qi-service", organisation=organisation,
        created_by=applicant, number="ZLPP-2025-QI-SERVICE-000042",
        project_name="中小企业质量提升一站式服务示范项目",
        summary="面向南山区中小企业开展计量、标准、检验检测一站式服务。\n已于2024年实施完毕。",
        implementation_district="南山区", started_on=datetime(2024, 2, 1).date(),
        requested_amount=300_000, contact_name="黄晓明", contact_phone="13800000000",
        figures={"completed_on": "2024-11-30", "is_one_stop_platform": "true",
                 "smes_served": "120", "labour_productivity_gain_percent": "8.5",
                 "quality_loss_reduction_percent": "12", "typical_cases": "4"},
        state=State.SUBMITTED, submitted_at=SUBMITTED_AT,
        self_check=[
            {"condition_id": "basic-1", "clause": "二（一）", "status": "met", "blocking": True,
             "text": "项目实施单位为成立运行一年以上的企业或其他组织", "reason": ""},
            {"condition_id": "basic-4", "clause": "二（四）", "status": "officer",
             "blocking": False, "text": "未被列入严重失信主体名单", "reason": "由审核人员核查"},
        ],
    )
    for key, name, sha, superseded in (
        ("pledge", "承诺书（旧）.pdf", OLD_PLEDGE_SHA, SUBMITTED_AT),
        ("pledge", "承诺书.pdf", PLEDGE_SHA, None),
        ("report", "项目成果报告（盖章版）.pdf", REPORT_SHA, None),
    ):
        MaterialFile.objects.create(
            application=application, material_key=key, file=f"materials/{sha}",
            original_name=name, file_type="pdf", size=2_345_678, sha256=sha,
            uploaded_by=applicant, superseded_at=superseded,
        )
    return application
