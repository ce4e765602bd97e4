"""The pledge letter and the report template, filled with the organisation's name."""

import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader


@pytest.mark.parametrize("key", ["pledge", "report-gba"])
def test_pdf_and_docx_carry_the_organisations_name(key, guide, applicant, client,
                                                   make_application):
    application = make_application("gba")
    client.force_login(applicant)
    name = applicant.organisation.name

    pdf = client.get(reverse("web:template-download", args=[application.pk, key, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert name in text

    docx = client.get(reverse("web:template-download", args=[application.pk, key, "docx"]))
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert name in paragraphs
    assert "filename*=UTF-8''" in docx["Content-Disposition"]


def test_another_sub_programmes_template_is_not_offered(guide, applicant, client,
                                                        make_application):
    application = make_application("gba")
    client.force_login(applicant)
    response = client.get(reverse("web:template-download",
                                  args=[application.pk, "report-brand", "pdf"]))
    assert response.status_code == 404
