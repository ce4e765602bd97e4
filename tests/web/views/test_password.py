"""Changing one's password: a page for every role, forced for an initial password, and the end
of every other session and API token."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from qualityfund.core.accounts import passwords, tokens
from qualityfund.core.accounts.demo import DEMO_PASSWORD, create_demo_accounts
from qualityfund.core.accounts.models import Role
from qualityfund.core.panels import pool
from tests import factories, routes
from tests.core.panels.support import make_expert

PAGE = reverse("web:password-change")
NEW = "Brand-new-pass-2026"
# Where a user who must change the password may still go.
OPEN_ROUTES = {"web:password-change", "web:logout", "api:logout", "set_language",
               "web:healthz"}


def _change(client, current, new=NEW, again=None):
    return client.post(PAGE, {"old_password": current, "new_password1": new,
                              "new_password2": again or new})


def _log_in(client, username, password):
    return client.post(reverse("web:login"), {"username": username, "password": password})


@pytest.mark.parametrize("role", list(Role))
def test_every_role_changes_its_own_password(client, db, role):
    organisation = factories.make_organisation() if role == Role.APPLICANT else None
    user = factories.make_user(role, organisation)
    client.force_login(user)
    page = client.get(PAGE).content.decode()
    assert 'name="old_password"' in page and "至少须有12个字符" in page
    assert _change(client, factories.PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get(reverse("web:security")).status_code == 200  # still signed in


@pytest.mark.parametrize(("current", "new", "again", "words"), [
    ("wrong-pass-2025!", NEW, NEW, "当前密码不正确"),
    (factories.PASSWORD, "short-1", "short-1", "至少须有12个字符"),
    (factories.PASSWORD, "alllowercaseletters", "alllowercaseletters", "至少3类"),
    (factories.PASSWORD, NEW, NEW + "x", "两次输入的新密码不一致"),
])
def test_a_refused_change_says_why_in_chinese(client, applicant, current, new, again, words):
    client.force_login(applicant)
    answer = _change(client, current, new, again)
    assert answer.status_code == 200 and words in answer.content.decode()
    applicant.refresh_from_db()
    assert applicant.check_password(factories.PASSWORD)


def _values() -> dict[str, list[str]]:
    from django.apps import apps

    ids = ("pk", "id", "app_pk", "application_id", "file_pk", "file_id", "object_id",
           "content_type_id")
    return {**{name: ["1"] for name in ids}, "slug": ["2025"], "key": ["pledge"],
            "fmt": ["pdf"], "url": ["x/"],
            "app_label": [c.label for c in apps.get_app_configs()]}


def test_an_initial_password_opens_nothing_but_the_change_page_and_log_out(client, admin_user):
    expert = make_expert("陈海燕")
    issued = pool.issue_password(expert, by=admin_user)
    assert _log_in(client, expert.user.username, issued).url == reverse("web:home")
    refused = []
    for route in routes.all_routes():
        if route.name in OPEN_ROUTES:
            continue
        url = routes.build_url(route, _values())
        answer = client.get(url)
        if url.startswith("/api/"):
            if answer.status_code != 403 or "初始密码" not in answer.json()["detail"]:
                refused.append(f"{url} answered {answer.status_code}")
        elif answer.status_code != 302 or answer.url != PAGE:
            refused.append(f"{url} answered {answer.status_code}")
    assert refused == []
    assert APIClient().post("/api/v1/auth/token/", {
        "username": expert.user.username, "password": issued}).status_code == 403
    page = client.get(PAGE, follow=True).content.decode()
    assert "初始密码" in page
    assert _change(client, issued).url == reverse("web:home")
    assert client.get(reverse("web:panel-list")).status_code == 200
    expert.user.refresh_from_db()
    assert not expert.user.password_must_change


def test_log_out_stays_open_with_an_initial_password(client, admin_user, officer):
    passwords.issue_password(officer, by=admin_user)
    client.force_login(officer)
    client.post(reverse("web:logout"))
    assert "_auth_user_id" not in client.session


def test_a_change_signs_out_every_other_session_and_token(applicant):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        _log_in(client, applicant.username, factories.PASSWORD)
    _, key = tokens.issue(applicant, second_factor=False)
    _change(here, factories.PASSWORD)
    assert here.get(reverse("web:application-list")).status_code == 200
    assert routes.is_login_redirect(elsewhere, elsewhere.get(reverse("web:application-list")))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/organisation/").status_code == 401


def test_the_demo_accounts_log_in_with_the_readmes_password_and_work_at_once(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_demo_accounts()
    for username, page in (("officer", "web:review-queue"), ("applicant", "web:application-list")):
        client = Client()
        assert _log_in(client, username, DEMO_PASSWORD).status_code == 302
        assert client.get(reverse(page)).status_code == 200


def test_an_expired_staff_password_must_be_changed_when_the_setting_is_on(client, officer,
                                                                         settings):
    officer.password_changed_at = timezone.now() - timedelta(days=200)
    officer.save()
    client.force_login(officer)
    assert client.get(reverse("web:review-queue")).status_code == 200
    settings.STAFF_PASSWORD_MAX_AGE_DAYS = 180
    assert client.get(reverse("web:review-queue")).url == PAGE


def test_the_change_page_is_rate_limited(client, applicant, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password": "2/h"}
    client.force_login(applicant)
    for _ in range(2):
        _change(client, "wrong-pass-2025!")
    answer = _change(client, factories.PASSWORD)
    assert answer.status_code == 429
    applicant.refresh_from_db()
    assert applicant.check_password(factories.PASSWORD)
