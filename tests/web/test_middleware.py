"""The middleware of the pages: Chinese by default (English when chosen), sessions that end
when idle or too old, and the security headers on every answer."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from qualityfund.core.accounts.models import Role
from qualityfund.web.middleware import SEEN, STARTED
from tests import factories, routes

TEMPLATES = Path(settings.BASE_DIR) / "web" / "templates"


def test_chinese_by_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("web:guide-list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"


def test_english_when_chosen_with_the_switch(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("web:guide-list"))
    assert response.headers["Content-Language"] == "en"


# --- session limits -----------------------------------------------------------------------


def _age(client, **minutes_ago):
    """Move the session's clock back: ``seen=31`` means last seen 31 minutes ago."""
    session = client.session
    for name, minutes in minutes_ago.items():
        key = {"seen": SEEN, "started": STARTED}[name]
        session[key] = time.time() - minutes * 60
    session.save()


def _signed_out(client, response) -> bool:
    return routes.is_login_redirect(client, response) and "_auth_user_id" not in client.session


@pytest.mark.parametrize(("role", "idle"), [(Role.OFFICER, 30), (Role.AUDITOR, 30),
                                            (Role.EXPERT, 120), (Role.APPLICANT, 120)])
def test_a_session_ends_after_its_idle_time(client, db, role, idle):
    user = factories.make_user(role)
    client.force_login(user)
    _age(client, seen=idle - 1)
    assert client.get(reverse("web:security")).status_code == 200  # activity: the clock restarts
    _age(client, seen=idle - 1)
    assert client.get(reverse("web:security")).status_code == 200
    _age(client, seen=idle + 1)
    answer = client.get(reverse("web:security"))
    assert _signed_out(client, answer)
    assert answer.url.endswith("?next=/account/security/")
    assert f"超过{idle}分钟未操作" in client.get(answer.url).content.decode()


def test_the_idle_times_are_settings(client, officer, settings):
    settings.SESSION_IDLE_MINUTES_STAFF = 5
    client.force_login(officer)
    _age(client, seen=6)
    assert _signed_out(client, client.get(reverse("web:security")))


def test_a_busy_session_still_ends_at_the_absolute_limit(client, applicant, settings):
    client.force_login(applicant)
    _age(client, started=12 * 60 - 1, seen=1)
    assert client.get(reverse("web:security")).status_code == 200
    _age(client, started=12 * 60 + 1, seen=1)
    assert _signed_out(client, client.get(reverse("web:security")))
    settings.SESSION_ABSOLUTE_HOURS = 1
    client.force_login(applicant)
    _age(client, started=61, seen=0)
    assert _signed_out(client, client.get(reverse("web:security")))
    assert settings.SESSION_COOKIE_AGE == 12 * 3600  # the cookie itself dies with the limit


def test_the_api_answers_401_when_the_session_has_ended(client, applicant):
    client.force_login(applicant)
    _age(client, seen=121)
    answer = client.get("/api/v1/organisation/")
    assert answer.status_code == 401 and "未操作" in answer.json()["detail"]


def test_a_new_log_in_restarts_the_clock(client, applicant):
    client.force_login(applicant)
    _age(client, started=12 * 60 + 1, seen=1)
    client.force_login(applicant)
    assert client.get(reverse("web:security")).status_code == 200


def directives(response) -> dict[str, set[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: set(values) for name, *values in
            (part.split() for part in policy.split(";") if part.strip())}


def test_every_page_has_a_script_policy_without_inline_and_a_permissions_policy(client_of,
                                                                               officer):
    client = client_of(officer)
    paths = ["/" + "".join(str(p) for p in route.patterns) for route in routes.all_routes()
             if not route.params and not route.name.startswith("admin:")]
    for path in [*paths, "/no-such-page/", "/api/v1/no-such-endpoint/"]:
        response = client.get(path)
        policy = directives(response)
        assert policy["script-src"] == {"'self'"}, path
        assert policy["object-src"] == {"'none'"} and policy["frame-ancestors"] == {"'none'"}
        assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
        assert "camera=()" in response.headers["Permissions-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_script_event_handler_or_javascript_url():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\bhx-on|javascript:",
                        re.IGNORECASE)
    found = {str(path.relative_to(TEMPLATES)): inline.findall(path.read_text(encoding="utf-8"))
             for path in TEMPLATES.rglob("*.html")}
    assert {name: hits for name, hits in found.items() if hits} == {}
