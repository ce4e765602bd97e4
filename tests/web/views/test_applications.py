"""The applicant's journey through the pages, in all seven sub-programmes."""

import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from qualityfund.core.applications.models import Application, MaterialFile
from qualityfund.core.applications.states import State
from qualityfund.domain.guide.schema import SUBPROGRAMME_KEYS
from tests import factories


def _form_data(application, figures, **fields):
    data = {"project_name": "", "summary": "", "implementation_district": "",
            "started_on": "", "contact_name": "", "contact_phone": ""}
    if application.spec.funding.cap:
        data["requested_amount"] = ""
    data.update(fields)
    data.update({f"figure_{k}": v for k, v in figures.items()})
    return data


@pytest.mark.parametrize("key", SUBPROGRAMME_KEYS)
def test_every_subprogramme_can_be_filled_and_submitted_through_the_pages(
        key, guide, applicant, client_of):
    client = client_of(applicant)
    response = client.post(reverse("web:application-new"),
                           {"guide": guide.pk, "subprogramme": key})
    application = Application.objects.get(organisation=applicant.organisation)
    assert response.url == reverse("web:application-edit", args=[application.pk])

    page = client.get(response.url)
    assert page.status_code == 200
    assert application.spec.name in page.content.decode()

    fields = {"project_name": "示范项目", "summary": "项目已于2024年实施完毕。",
              "implementation_district": "南山区", "started_on": "2024-02-01",
              "contact_name": "黄晓明", "contact_phone": "13800000000"}
    if key in factories.REQUESTED:
        fields["requested_amount"] = str(factories.REQUESTED[key])
    saved = client.post(reverse("web:application-save", args=[application.pk]),
                        _form_data(application, factories.PASSING_FIGURES[key], **fields),
                        HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert "已自动保存" in saved.content.decode()

    for material in application.spec.materials:
        if material.generated or (material.alternative_group and not material.template):
            continue
        client.post(reverse("web:material-upload", args=[application.pk, material.key]),
                    {"file": factories.upload(f"{material.key}.pdf")})

    submitted = client.post(reverse("web:application-submit", args=[application.pk]))
    assert submitted.status_code == 302, submitted.content.decode()[:3000]
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.number.startswith(f"ZLPP-{guide.year}-")

    pdf = client.get(reverse("web:application-form-pdf", args=[application.pk]))
    text = "".join(page.extract_text() for page in PdfReader(_stream(pdf)).pages)
    assert applicant.organisation.name in text
    assert application.number in text

    progress = client.get(reverse("web:application-progress", args=[application.pk]))
    html = progress.content.decode()
    assert "草稿" in html and "已提交，待受理" in html


def _stream(response):
    import io

    return io.BytesIO(b"".join(response.streaming_content))


def test_an_incomplete_application_is_refused_with_the_reasons(guide, applicant, client_of,
                                                               make_application):
    application = make_application("gba")
    client = client_of(applicant)
    figures = dict(factories.PASSING_FIGURES["gba"], gba_regions="3", hk_macao_units="2")
    client.post(reverse("web:application-save", args=[application.pk]),
                _form_data(application, figures, project_name="论坛"), HTTP_HX_REQUEST="true")

    response = client.post(reverse("web:application-submit", args=[application.pk]))

    assert response.status_code == 400
    html = response.content.decode()
    assert "未能提交" in html
    assert "不少于5地" in html
    assert re.search(r"未上传.*承诺书", html)
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_autosave_keeps_valid_fields_and_names_the_invalid_one(guide, applicant, client_of,
                                                              make_application):
    application = make_application("digital")
    client = client_of(applicant)
    response = client.post(
        reverse("web:application-save", args=[application.pk]),
        _form_data(application, {"e_report_rate_percent": "七十", "digital_tools": "2"},
                   project_name="数字化质量平台"),
        HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "报表电子化率" in html and "is-invalid" in html
    application.refresh_from_db()
    assert application.project_name == "数字化质量平台"
    assert application.figures["digital_tools"] == "2"
    assert "e_report_rate_percent" not in application.figures


def test_a_replaced_material_keeps_its_earlier_version(guide, applicant, client_of,
                                                       make_application):
    application = make_application("qi-service")
    client = client_of(applicant)
    url = reverse("web:material-upload", args=[application.pk, "pledge"])
    client.post(url, {"file": factories.upload("v1.pdf", factories.pdf_bytes(1))})
    client.post(url, {"file": factories.upload("v2.pdf", factories.pdf_bytes(2))})

    files = MaterialFile.objects.filter(application=application, material_key="pledge")
    assert [f.original_name for f in files.current()] == ["v2.pdf"]
    old = files.get(original_name="v1.pdf")
    assert old.superseded_at is not None and old.replaced_by.original_name == "v2.pdf"
    assert len(old.sha256) == 64 and old.sha256 != old.replaced_by.sha256


def test_the_type_is_sniffed_from_the_content_not_the_name(guide, applicant, client_of,
                                                           make_application):
    application = make_application("qi-service")
    client = client_of(applicant)
    response = client.post(
        reverse("web:material-upload", args=[application.pk, "pledge"]),
        {"file": factories.upload("pledge.pdf", factories.png_bytes())}, follow=True)

    assert "文件内容为PNG图片，只接受PDF" in response.content.decode()
    assert not MaterialFile.objects.filter(application=application).exists()


def test_withdraw_until_accepted(guide, applicant, client_of, make_application):
    application = make_application("brand", filled=True)
    from qualityfund.core.applications import services

    services.submit(application, by=applicant)
    client = client_of(applicant)
    client.post(reverse("web:application-withdraw", args=[application.pk]), {"reason": "重复"})

    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert list(application.state_changes.values_list("to_state", flat=True)) == [
        "draft", "submitted", "withdrawn"]


def test_choosing_a_guide_that_is_not_a_number_is_a_404_not_a_crash(guide, applicant,
                                                                     client_of):
    response = client_of(applicant).post(reverse("web:application-new"),
                                         {"guide": "abc", "subprogramme": "gba"})
    assert response.status_code == 404
