"""The staff application page: form data, self-check, previews, findings, history; the
actions; and the applicant's side of 补正."""

import io

from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from qualityfund.core.applications import services as applications
from qualityfund.core.applications.states import State
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.common.tasks import run_deferred
from qualityfund.core.review import services
from qualityfund.core.review.services import ItemRequest
from tests import factories
from tests.domain.inspection import samples


def _submitted_with_scanned_pledge(make_application, applicant, capture):
    """Filled, with the careless pledge scan; inspected as a worker would; submitted."""
    application = make_application("qi-service", filled=True)
    with capture(execute=True):
        applications.upload_material(application, "pledge", factories.upload(
            "承诺书.pdf", samples.careless_pledge_pdf()), by=applicant)
    run_deferred()
    return applications.submit(application, by=applicant)


def test_the_officer_sees_data_self_check_findings_previews_and_history(
        make_application, applicant, officer, client_of, django_capture_on_commit_callbacks):
    application = _submitted_with_scanned_pledge(make_application, applicant,
                                                 django_capture_on_commit_callbacks)
    client = client_of(officer)

    html = client.get(reverse("web:review-application", args=[application.pk])).content.decode()

    assert application.organisation.credit_code in html
    assert "服务的中小企业数量（家）" in html and "120" in html          # declared figures
    assert 'id="self-check"' in html and "符合" in html
    assert "第1页内容倒置" in html and "第2页落款处未检测到红色公章" in html
    assert html.count('class="flagged"') == 2                              # pages with problems
    preview = reverse("web:review-preview", args=[application.pk,
                                                  application.material_files.current().get(
                                                      material_key="pledge").pk])
    assert f'src="{preview}?page=2"' in html
    assert "已提交，待受理" in html and "application.submitted" in html    # timeline, audit

    answer = client.get(preview, {"page": 2})
    assert answer["Content-Type"] == "image/png"
    viewed = AuditRecord.objects.get(action="access.download")               # audited
    assert (viewed.actor, viewed.data["preview"]) == (officer, "2")
    assert answer["Cache-Control"].startswith("private")
    image = Image.open(io.BytesIO(answer.content))
    assert image.height > image.width > 500                                # an A4 page
    sha = application.material_files.current().get(material_key="pledge").sha256
    assert default_storage.exists(f"previews/{sha}/90-2.png")              # cached
    assert client.get(preview, {"page": 3}).status_code == 409
    assert AuditRecord.objects.filter(action="access.download").count() == 1


def test_previews_are_not_public(make_application, applicant, other_applicant, officer, client,
                                 django_capture_on_commit_callbacks):
    application = _submitted_with_scanned_pledge(make_application, applicant,
                                                 django_capture_on_commit_callbacks)
    file = application.material_files.current().get(material_key="pledge")
    url = reverse("web:review-preview", args=[application.pk, file.pk]) + "?page=1"
    assert client.get(url).status_code == 302                              # to the log-in
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404
    client.force_login(applicant)
    staff_page = client.get(reverse("web:review-application", args=[application.pk]))
    assert staff_page.url == reverse("web:application-progress", args=[application.pk])


def test_accept_and_refuse_through_the_page(submit, officer, client_of, other_applicant):
    first, second = submit(), submit(user=other_applicant)
    client = client_of(officer)

    page = client.post(reverse("web:review-accept", args=[first.pk]), follow=True)
    assert "已受理，申请单位已收到通知" in page.content.decode()

    refused = client.post(reverse("web:review-refuse", args=[second.pk]),
                          {"reason": "other", "note": ""})
    assert refused.status_code == 400
    assert "须在说明中写明依据" in refused.content.decode()
    client.post(reverse("web:review-refuse", args=[second.pk]),
                {"reason": "not-eligible", "note": "非质量基础设施一站式服务平台"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.ACCEPTED, State.REFUSED)


def test_supplementation_through_the_page_keeps_the_input_on_a_mistake(submit, officer,
                                                                      client_of):
    application = submit()
    client = client_of(officer)
    url = reverse("web:review-supplement", args=[application.pk])

    wrong = client.post(url, {"item": ["material:pledge", "figure:typical_cases"],
                              "reason:material:pledge": "承诺书未盖章", "workdays": "5"})
    html = wrong.content.decode()
    assert wrong.status_code == 400
    assert "“输出典型案例数（个）”：请写明需补正的原因" in html
    assert 'value="承诺书未盖章"' in html

    done = client.post(url, {"item": ["material:pledge"], "workdays": "3",
                             "reason:material:pledge": "承诺书未盖章"}, follow=True)
    assert "已发出补正通知，补正截止时间" in done.content.decode()
    application.refresh_from_db()
    assert application.state == State.SUPPLEMENTING
    assert application.supplementations.get().workdays == 3


def test_the_applicant_meets_the_request_and_the_officer_sees_what_changed(
        submit, officer, applicant, client_of):
    application = submit()
    services.request_supplementation(application, by=officer, items=[
        ItemRequest("material:pledge", "承诺书未盖章"),
        ItemRequest("figure:typical_cases", "典型案例数量与报告不一致")])
    client = client_of(applicant)

    progress = client.get(reverse("web:application-progress", args=[application.pk]))
    assert "补正通知" in progress.content.decode() and "前往补正" in progress.content.decode()
    edit = client.get(reverse("web:application-edit", args=[application.pk])).content.decode()
    assert "需补正：承诺书未盖章" in edit
    assert edit.count('type="file"') == 1                                  # only the pledge
    assert 'name="project_name"' in edit and "disabled" in edit
    upload = client.post(reverse("web:material-upload", args=[application.pk, "report"]),
                         {"file": factories.upload("r.pdf")}, follow=True)
    assert "“③项目成果报告”不在其中" in upload.content.decode()

    client.post(reverse("web:material-upload", args=[application.pk, "pledge"]),
                {"file": factories.upload("承诺书-盖章.pdf")})
    client.post(reverse("web:application-save", args=[application.pk]),
                {"figure_typical_cases": "5", "project_name": "偷改名称"}, HTTP_HX_REQUEST="true")
    done = client.post(reverse("web:application-submit", args=[application.pk]), follow=True)
    assert "补正已提交，等待审核人员审查" in done.content.decode()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.project_name != "偷改名称"

    staff = client_of(officer).get(reverse("web:review-application", args=[application.pk]))
    html = staff.content.decode()
    assert "第1次补正" in html and "已补正" in html
    assert '<td class="diff-before">4</td><td class="diff-after">5</td>' in html
    assert "承诺书-盖章.pdf" in html


def test_a_second_officer_rechecks_and_the_first_is_told_why_not(submit, officer, rechecker,
                                                                 client_of):
    application = submit("honors")
    services.accept(application, by=rechecker)
    client = client_of(rechecker)
    html = client.get(reverse("web:review-application", args=[application.pk])).content.decode()
    assert "您已受理（初审）该申请，复审须由其他复审人员进行" in html
    refused = client.post(reverse("web:review-recheck", args=[application.pk]))
    assert "复审须由初审以外的人员进行" in refused.content.decode()

    other = factories.make_user("rechecker")
    client_of(other).post(reverse("web:review-recheck", args=[application.pk]))
    page = client_of(officer).get(reverse("web:review-application", args=[application.pk]))
    assert "核查获奖证书" in page.content.decode()
    client_of(officer).post(reverse("web:review-verify", args=[application.pk]),
                            {"recommended": "yes", "note": "证书真实有效"})
    application.refresh_from_db()
    assert (application.state, application.review_recommended) == (State.REVIEWED, True)


def test_notifications_list_and_unread_count(submit, officer, applicant, client_of):
    application = submit()
    services.accept(application, by=officer)
    client = client_of(applicant)
    home = client.get(reverse("web:application-list")).content.decode()
    assert 'id="unread-count">1<' in home
    listing = client.get(reverse("web:notification-list")).content.decode()
    assert "申请已受理" in listing and "1 条未读" in listing
    notice = applicant.notifications.get()
    opened = client.post(reverse("web:notification-list"), {"id": notice.pk})
    assert opened.url == reverse("web:application-progress", args=[application.pk])
    assert 'id="unread-count"' not in client.get(reverse("web:application-list")
                                                 ).content.decode()
