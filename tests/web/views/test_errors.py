"""Error answers: Chinese pages in the site's frame, JSON ``{"detail"}`` under /api/."""

import pytest
from django.test import Client

from tests import routes

FRAME = "质量品牌专项资金平台"  # the navigation bar of base.html


def page(response) -> str:
    text = response.content.decode()
    assert '<html lang="zh-CN">' in text and FRAME in text and 'class="navbar' in text
    return text


def test_an_unknown_page_is_a_chinese_404_in_the_frame(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in page(response) and "Not Found" not in response.content.decode()


def test_an_unknown_object_is_the_same_404_without_django_s_words(client, applicant):
    client.force_login(applicant)
    response = client.get("/applications/999999/")
    assert response.status_code == 404
    text = page(response)
    assert "页面不存在" in text and "matches the given query" not in text


def test_a_forbidden_page_is_a_chinese_403_in_the_frame(client, applicant):
    client.force_login(applicant)
    response = client.get("/review/")
    assert response.status_code == 403
    text = page(response)
    assert "无权访问" in text and applicant.display() in text  # the nav still knows who it is


def test_a_forged_form_is_a_chinese_403_not_django_s_csrf_page(db):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "x"})
    assert response.status_code == 403
    text = page(response)
    assert "页面已过期" in text and "CSRF verification failed" not in text


def test_a_bad_host_is_a_chinese_400(client, db):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400 and "请求有误" in page(response)


@pytest.mark.urls("tests.web.views.crash_urls")
def test_a_crash_is_a_chinese_500_in_the_frame_that_reveals_nothing(client, db):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    text = page(response)
    assert "服务器出错" in text and "secret detail" not in text and "RuntimeError" not in text


def test_an_unknown_api_path_answers_json(client, db):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "没有找到您要访问的页面或数据，可能已被移除，或地址有误。",
                               "field": None}


@pytest.mark.urls("tests.web.views.crash_urls")
def test_a_crash_in_the_api_answers_json_that_reveals_nothing(client, db):
    client.raise_request_exception = False
    response = client.get("/api/v1/broken/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "服务器出错" not in response.content.decode()  # no HTML page
    assert response.json()["detail"].startswith("系统暂时无法处理")
    assert "secret" not in response.content.decode()


def test_the_pages_are_in_english_when_chosen(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


BUREAU_AREAS = ("/review/", "/funding/", "/panels/", "/audit/")


def bureau_pages() -> list[str]:
    """Every page of the bureau's areas that needs no object in its URL."""
    paths = []
    for route in routes.all_routes():
        # the public notice and each user's own notifications are for everyone
        if route.params or "notice" in route.name or route.name == "web:notification-list":
            continue
        path = "/" + "".join(str(p) for p in route.patterns)
        if path.startswith(BUREAU_AREAS):
            paths.append(path)
    return paths


def test_a_signed_in_applicant_gets_403_on_bureau_pages_not_a_redirect_loop(client, applicant):
    client.force_login(applicant)
    answers = {path: client.get(path).status_code for path in bureau_pages()}
    assert len(answers) >= 10 and set(BUREAU_AREAS) <= {p[: p.index("/", 1) + 1] for p in answers}
    assert {path: status for path, status in answers.items() if status not in (403, 405)} == {}
