"""The public forms (registration, the objection to the public notice) are limited per client
address: a flood from one address gets a Chinese 429 page and writes nothing."""

import pytest
from django.urls import reverse

from qualityfund.core.accounts.models import Organisation
from qualityfund.core.funding import services
from qualityfund.core.funding.models import Objection
from qualityfund.domain.credit_code import make_valid
from qualityfund.domain.identity import with_check_digit
from tests.web.funding.conftest import advance, brand_year
from tests.web.views.test_auth import _registration

ATTACKER, OTHER, PROXY = "203.0.113.9", "198.51.100.8", "10.0.0.2"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": "2/h", "objection": "2/h"}
    settings.TRUSTED_PROXIES = [PROXY]


def _refused(answer) -> None:
    assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
    page = answer.content.decode()
    assert "提交过于频繁" in page and "本次提交没有被处理" in page and "分钟后再试" in page


def test_registration_is_limited_per_address(client, db, limits):
    url = reverse("web:register")
    for n in range(2):  # forged X-Forwarded-For headers change nothing
        client.post(url, _registration(make_valid(f"91440300MA5XK7P{n}Q"), **{
            "user-username": f"flood{n}"}), REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    assert Organisation.objects.count() == 2
    _refused(client.post(url, _registration(make_valid("91440300MA5XK7P9Q"), **{
        "user-username": "flood9"}), REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="1.2.3.9"))
    assert Organisation.objects.count() == 2
    assert client.get(url, REMOTE_ADDR=ATTACKER).status_code == 200  # reading is not limited
    # another client behind the bureau's proxy registers
    answer = client.post(url, _registration(make_valid("91440300MA5XK7P8Q"), **{
        "user-username": "honest"}), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER)
    assert answer.status_code == 302 and Organisation.objects.count() == 3


def test_objections_are_limited_per_address(client, guide, officer, director, limits):
    brand_year(guide, officer, 1)
    item = advance(services.draft_plan(guide, "brand", by=officer), officer, director,
                   "noticed").items.first()
    url = reverse("web:funding-objection", args=[guide.slug])
    data = {"item": item.pk, "filer_kind": "person", "filer_name": "李四",
            "filer_id": with_check_digit("44030419900202002"), "phone": "13900000000",
            "content": "项目名称与实际不符"}
    for _ in range(2):
        assert client.post(url, data, REMOTE_ADDR=ATTACKER).status_code == 302
    _refused(client.post(url, data, REMOTE_ADDR=ATTACKER))
    assert Objection.objects.count() == 2
    assert client.post(url, data, REMOTE_ADDR=OTHER).status_code == 302
    assert Objection.objects.count() == 3
