"""The language of the pages: Chinese by default, English when chosen."""

from django.urls import reverse


def test_chinese_by_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("web:guide-list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"


def test_english_when_chosen_with_the_switch(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("web:guide-list"))
    assert response.headers["Content-Language"] == "en"
