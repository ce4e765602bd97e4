"""The audit trail page: auditors and admins read it, see whether its chain verifies and have
it verified again; nobody else does; no query per row."""

from django.urls import reverse

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services
from qualityfund.core.common.chain import run_verification
from qualityfund.core.common.models import AuditRecord, AuditVerification
from qualityfund.core.common.tasks import run_deferred
from tests.core.common.support import bypassing_the_guard, sql, write
from tests.factories import make_user


def test_the_auditor_reads_every_change(client, guide, applicant, make_application):
    application = make_application("brand", filled=True)
    services.submit(application, by=applicant)
    client.force_login(make_user(Role.AUDITOR))
    html = client.get(reverse("web:audit-trail"), {"object_id": application.pk,
                                                   "object_type": "applications.application"}
                      ).content.decode()
    assert "application.submitted" in html and "material.upload" in html


def test_others_are_refused(client, applicant, officer):
    for user in (applicant, officer):
        client.force_login(user)
        assert client.get(reverse("web:audit-trail")).status_code == 403


def test_the_page_costs_the_same_queries_for_many_rows(client, guide, applicant,
                                                       make_application,
                                                       django_assert_max_num_queries):
    client.force_login(make_user(Role.ADMIN))
    make_application("brand", filled=True)
    with django_assert_max_num_queries(8):
        client.get(reverse("web:audit-trail"))
    for _ in range(5):
        make_application("gba", filled=True)
    with django_assert_max_num_queries(8):
        client.get(reverse("web:audit-trail"))


def test_the_page_says_whether_the_chain_verifies(client, auditor):
    client.force_login(auditor)
    assert "审计链尚未核验" in client.get(reverse("web:audit-trail")).content.decode()
    records = write(3)
    run_verification()
    assert "审计链完整" in client.get(reverse("web:audit-trail")).content.decode()
    with bypassing_the_guard():
        sql("UPDATE common_auditrecord SET object_id = '999' WHERE id = %s", [records[0].pk])
    run_verification()
    html = client.get(reverse("web:audit-trail")).content.decode()
    assert "审计链断裂" in html and f"审计记录 #{records[0].pk}" in html


def test_the_auditor_has_the_chain_verified_again_in_the_background(
        client, auditor, django_capture_on_commit_callbacks):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:audit-verify"))
    assert response.status_code == 302
    assert "核验进行中" in client.get(reverse("web:audit-trail")).content.decode()
    client.post(reverse("web:audit-verify"))  # asked twice: one run
    assert AuditVerification.objects.count() == 1
    assert run_deferred() == 1
    assert AuditVerification.objects.get().ok is True
    assert AuditRecord.objects.filter(action="audit.verify", actor=auditor).count() == 1
    html = client.get(reverse("web:audit-trail")).content.decode()
    assert "审计链完整" in html and "核验进行中" not in html


def test_nobody_else_has_it_verified(client, applicant, officer):
    for user in (applicant, officer):
        client.force_login(user)
        assert client.post(reverse("web:audit-verify")).status_code == 403
    assert not AuditVerification.objects.exists()
