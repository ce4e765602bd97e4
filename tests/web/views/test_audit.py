"""The audit trail page: auditors and admins read it; nobody else does; no query per row."""

from django.urls import reverse

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services
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
