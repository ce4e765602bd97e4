"""The middleware of the pages: Chinese by default, English when chosen; the security
headers on every answer."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests import routes

TEMPLATES = Path(settings.BASE_DIR) / "web" / "templates"


def test_chinese_by_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("web:guide-list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"


def test_english_when_chosen_with_the_switch(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("web:guide-list"))
    assert response.headers["Content-Language"] == "en"


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
