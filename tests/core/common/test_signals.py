"""Log-in, log-out and failed log-in are in the audit trail with the source address and the
browser, from the pages and from the API; a failed attempt keeps the user name tried, never
the password."""

from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from qualityfund.core.common import audit
from qualityfund.core.common.models import AuditRecord
from tests.factories import PASSWORD

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) 测试" + "x" * 400
SECRET = "Guess-Secret-Pass-42"


def _client(**meta) -> Client:
    return Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=BROWSER, **meta)


def _only(action) -> AuditRecord:
    return AuditRecord.objects.get(action=f"{audit.ACCESS}{action}")


def test_log_in_and_log_out_are_recorded_with_their_source(applicant):
    client = _client()
    client.post(reverse("web:login"), {"username": applicant.username, "password": PASSWORD})
    client.post(reverse("web:logout"))
    for action in ("login", "logout"):
        record = _only(action)
        assert (record.actor, record.object_id) == (applicant, str(applicant.pk))
        assert record.address == "203.0.113.7"
        assert record.user_agent == BROWSER[:255]  # truncated, not refused


def test_a_failed_log_in_keeps_the_name_tried_and_never_the_password(applicant):
    _client().post(reverse("web:login"), {"username": applicant.username, "password": SECRET})
    _client().post(reverse("api:token"), {"username": "nobody", "password": SECRET})
    failed = AuditRecord.objects.filter(action=f"{audit.ACCESS}login_failed").order_by("id")
    assert [r.data["username"] for r in failed] == [applicant.username, "nobody"]
    assert {r.address for r in failed} == {"203.0.113.7"} and not any(r.actor for r in failed)
    assert all(SECRET not in str(model_to_dict(r)) for r in AuditRecord.objects.all())


def test_behind_the_trusted_proxy_the_client_named_by_it_is_recorded(applicant, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    forged = _client(HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    forged.post(reverse("web:login"), {"username": applicant.username, "password": SECRET})
    assert _only("login_failed").address == "203.0.113.7"  # not a proxy: header ignored
    proxied = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    proxied.post(reverse("web:login"), {"username": applicant.username, "password": PASSWORD})
    assert _only("login").address == "198.51.100.7"


def test_records_made_outside_a_request_have_no_source(db):
    record = audit.record(None, "test.command")
    assert (record.address, record.user_agent) == ("", "")
