"""Downloads are typed by their content, never by the name the uploader gave.

The attack: a file that is HTML (or SVG) but passes as a PDF, or is named like one, served
back to an officer's browser as a page that runs the uploader's script in the platform's
origin. The answer is always the sniffed type, ``nosniff``, and an attachment whose name
ends in the real type's extension.
"""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qualityfund.core.applications.models import MaterialFile
from qualityfund.core.funding import services as funding
from tests.factories import pdf_bytes
from tests.web.funding.conftest import advance, brand_year

SCRIPT = b"<script>fetch('/api/v1/organisation/').then(r => r.text()).then(alert)</script>"
# HTML that a PDF reader also accepts: "%PDF-" sits in the first kilobyte.
POLYGLOT = b"<!doctype html><html><!-- %PDF-1.7 -->" + SCRIPT + b"</html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.fixture
def draft(make_application, applicant, client):
    client.force_login(applicant)
    application = make_application("qi-service")
    material = next(m for m in application.spec.materials
                    if not m.generated and {"pdf", "png"} <= set(m.types))
    return application, material


def upload(client, application, material, name, content):
    return client.post(reverse("web:material-upload", args=[application.pk, material.key]),
                       {"file": SimpleUploadedFile(name, content)}, follow=True)


def assert_safe_attachment(response, filename: str, content_type: str = "application/pdf"):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment; ")
    if filename.isascii():
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    else:
        assert response["Content-Disposition"] == (
            f"attachment; filename*=utf-8''{quote(filename)}")


def test_html_that_passes_as_pdf_is_served_as_a_pdf_attachment(draft, client, client_for,
                                                                applicant):
    application, material = draft
    upload(client, application, material, "x.html", POLYGLOT)
    stored = MaterialFile.objects.get()
    assert stored.file_type == "pdf"

    web = client.get(reverse("web:material-download", args=[application.pk, stored.pk]))
    assert_safe_attachment(web, "x.html.pdf")
    assert b"".join(web.streaming_content) == POLYGLOT  # the bytes themselves are kept
    api = client_for(applicant).get(
        f"/api/v1/applications/{application.pk}/materials/{stored.pk}/download")
    assert_safe_attachment(api, "x.html.pdf")


@pytest.mark.parametrize(("name", "content"), [("x.pdf", b"<html>" + SCRIPT + b"</html>"),
                                               ("x.png", SVG), ("x.svg", SVG)])
def test_html_or_svg_under_an_image_or_pdf_name_is_refused_at_upload(draft, client, name,
                                                                       content):
    application, material = draft
    page = upload(client, application, material, name, content).content.decode()
    assert f"“{material.title}”：文件内容为无法识别的格式" in page
    assert not MaterialFile.objects.exists()


def test_a_chinese_name_is_kept_in_rfc_5987_form_and_control_characters_go(draft, client):
    application, material = draft
    upload(client, application, material, "质量报告\u202egpj.pdf", pdf_bytes())
    stored = MaterialFile.objects.get()
    response = client.get(reverse("web:material-download", args=[application.pk, stored.pk]))
    assert_safe_attachment(response, "质量报告gpj.pdf")  # no right-to-left override


def test_minutes_uploaded_as_html_are_served_as_the_pdf_they_pass_for(guide, officer, director,
                                                                      client_of):
    brand_year(guide, officer, 1)
    plan = advance(funding.draft_plan(guide, "brand", by=officer), officer, director,
                   "consultation")
    funding.record_decision(plan, meeting_date=timezone.localdate(), decision="同意",
                            minutes=SimpleUploadedFile("会议纪要.html", POLYGLOT), by=director)
    response = client_of(officer).get(reverse("web:funding-plan-minutes", args=[plan.pk]))
    assert_safe_attachment(response, "会议纪要.html.pdf")
