"""Upload limits known before the body is read: the material's own, told only to its uploader."""

from qualityfund.core.applications.limits import largest_material_limit, material_upload_limit
from qualityfund.core.common.uploads import MB


def test_the_uploader_learns_the_material_s_limit_and_nobody_else_does(make_application,
                                                                       applicant,
                                                                       other_applicant, officer):
    application = make_application("qi-service")
    material = next(m for m in application.spec.materials if not m.generated)
    generated = next(m for m in application.spec.materials if m.generated)

    limit = material_upload_limit(applicant, application.pk, material.key)
    assert (limit.max_bytes, limit.label, limit.field) == (
        material.max_size_mb * MB, material.title, material.key)
    assert material_upload_limit(other_applicant, application.pk, material.key) is None
    assert material_upload_limit(officer, application.pk, material.key) is None
    assert material_upload_limit(applicant, application.pk, generated.key) is None
    assert material_upload_limit(applicant, 999_999, material.key) is None


def test_the_api_accepts_up_to_the_largest_limit_of_any_guide(guide):
    assert largest_material_limit().max_bytes == 200 * MB  # the videos of the 2025 guide
