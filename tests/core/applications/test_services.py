"""The lifecycle's service functions: permission, window, all-or-nothing, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from qualityfund.core.applications import services
from qualityfund.core.applications.states import State
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord


def test_submission_is_refused_one_instant_after_the_window_closes(guide, applicant,
                                                                    make_application):
    application = make_application("brand", filled=True)
    with pytest.raises(RuleViolation, match="不在申报时间内"):
        services.submit(application, by=applicant,
                        at=guide.closes_at + timedelta(microseconds=1))
    application.refresh_from_db()
    assert application.state == State.DRAFT and not application.form_pdf


def test_submission_at_the_closing_instant_is_accepted(guide, applicant, make_application):
    application = make_application("brand", filled=True)
    services.submit(application, by=applicant, at=guide.closes_at)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.submitted_at == guide.closes_at


def test_the_real_2025_guide_refuses_submission_now(guide_2025, applicant):
    """Its window (2025-06-12 09:00 to 2025-07-03 18:00) is past: not even a draft."""
    with pytest.raises(RuleViolation, match="申报时间已截止"):
        services.create_application(guide=guide_2025, subprogramme="honors", by=applicant)


def test_a_blocking_condition_refuses_and_changes_nothing(guide, applicant, make_application):
    application = make_application("digital", filled=True)
    services.save_draft(application, by=applicant, figures={"e_report_rate_percent": "59"})
    with pytest.raises(RuleViolation) as refusal:
        services.submit(application, by=applicant)
    assert any("60" in r.reason for r in refusal.value.problems)
    application.refresh_from_db()
    assert application.state == State.DRAFT
    assert application.number is None and not application.form_pdf


def test_names_that_differ_block_submission(guide, applicant, make_application):
    application = make_application("honors", filled=True)
    organisation = applicant.organisation
    organisation.bank_account_name = "深圳市另一家公司"
    organisation.save()
    with pytest.raises(RuleViolation) as refusal:
        services.submit(application, by=applicant)
    assert [r.clause for r in refusal.value.problems] == ["七（五）"]


def test_a_trust_level_below_five_blocks_submission(guide, applicant, make_application):
    application = make_application("honors", filled=True)
    applicant.organisation.trust_level = 4
    applicant.organisation.save()
    with pytest.raises(RuleViolation, match="可信等级"):
        services.submit(application, by=applicant)


def test_another_organisation_cannot_act(guide, make_application, other_applicant):
    application = make_application("honors", filled=True)
    with pytest.raises(PermissionDenied):
        services.submit(application, by=other_applicant)
    with pytest.raises(PermissionDenied):
        services.save_draft(application, by=other_applicant, fields={"project_name": "x"})


def test_every_change_leaves_an_audit_record(guide, applicant, make_application):
    application = make_application("brand", filled=True)
    services.submit(application, by=applicant)
    services.withdraw(application, by=applicant, reason="撤回重报")
    actions = list(AuditRecord.objects.filter(object_id=str(application.pk),
                                              object_type="applications.application")
                   .order_by("id").values_list("action", flat=True))
    assert actions[0] == "application.create"
    assert "material.upload" in actions
    assert actions[-2:] == ["application.submitted", "application.withdrawn"]


def test_withdrawal_is_refused_once_accepted(guide, applicant, officer, make_application):
    application = make_application("brand", filled=True)
    application = services.submit(application, by=applicant)
    services.transition(application, State.ACCEPTED, by=officer)
    with pytest.raises(RuleViolation, match="受理后不能撤回"):
        services.withdraw(application, by=applicant)


def test_the_form_pdf_lists_every_material_with_its_hash(guide, applicant, make_application):
    from io import BytesIO

    from pypdf import PdfReader

    application = make_application("gba", filled=True)
    services.submit(application, by=applicant)
    application.refresh_from_db()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(application.form_pdf.read())).pages)
    compact = "".join(text.split())
    for material_file in application.material_files.current():
        assert material_file.sha256 in compact
    assert application.number in compact


def test_a_removed_file_cannot_be_removed_again(guide, applicant, make_application):
    from tests.factories import upload

    application = make_application("brand")
    record = services.upload_material(application, "pledge", upload(), by=applicant)
    services.remove_material_file(record, by=applicant)
    record.refresh_from_db()
    removed_at = record.superseded_at
    with pytest.raises(RuleViolation, match="已被替换或移除"):
        services.remove_material_file(record, by=applicant)
    record.refresh_from_db()
    assert record.superseded_at == removed_at


def test_a_file_over_the_guides_size_limit_is_refused_naming_the_limit(guide, applicant,
                                                                       make_application,
                                                                       tmp_path):
    from django.core.files import File

    application = make_application("qi-service")
    limit = application.spec.material("pledge").max_size_mb
    path = tmp_path / "big.pdf"
    with path.open("wb") as sparse:  # a sparse file: big on paper, nothing written
        sparse.write(b"%PDF-1.7\n")
        sparse.seek(limit * 1024 * 1024 + 1)
        sparse.write(b"\n")
    with path.open("rb") as handle, pytest.raises(RuleViolation,
                                                   match=f"超过上限 {limit} MB"):
        services.upload_material(application, "pledge", File(handle, name="big.pdf"),
                                 by=applicant)
    assert not application.material_files.exists()
