"""English for whoever picks it with the language switch; Chinese for everyone else.

The catalog is ``src/qualityfund/locale/en/LC_MESSAGES/django.po`` with Chinese msgids; the
compiled ``.mo`` beside it is committed, so these tests also catch a catalog left uncompiled.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications.states import State, chinese_name
from qualityfund.core.funding import services as funding
from tests import factories
from tests.web.funding.conftest import advance, brand_year

CATALOG = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def read_catalog(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural and msgstr (indexed for plurals)."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip() or line.startswith("#"):
            if entry and not line.strip():
                entries.append(entry)
                entry = None
            continue
        entry = entry or {"msgid": "", "msgid_plural": None, "msgstr": {}}
        match = re.match(r'^(msgid_plural|msgid|msgstr)(?:\[(\d)\])? (".*")$', line)
        if match:
            key = (match[1], int(match[2]) if match[2] else None)
            value = ast.literal_eval(match[3])
            if key[0] == "msgid_plural":
                entry["msgid_plural"] = ""
        else:
            value = ast.literal_eval(line)
        if key[0] == "msgstr":
            entry["msgstr"][key[1]] = entry["msgstr"].get(key[1], "") + value
        else:
            entry[key[0]] += value
    return [e for e in entries if e["msgid"]]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_every_msgid_has_an_english_translation_with_the_same_placeholders():
    entries = read_catalog(CATALOG)
    assert len(entries) > 500
    for entry in entries:
        translations = list(entry["msgstr"].values())
        assert translations and all(t.strip() for t in translations), entry["msgid"]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(
                PLACEHOLDER.findall(entry["msgid"])), entry["msgid"]
        if entry["msgid_plural"] is not None:
            assert sorted(entry["msgstr"]) == [0, 1], entry["msgid"]


def test_the_compiled_catalog_matches_the_po_file():
    with translation.override("en"):
        for entry in read_catalog(CATALOG):
            if entry["msgid_plural"] is None:
                assert translation.gettext(entry["msgid"]) == entry["msgstr"][None]
            else:
                assert translation.ngettext(entry["msgid"], entry["msgid_plural"], 1) \
                    == entry["msgstr"][0]
                assert translation.ngettext(entry["msgid"], entry["msgid_plural"], 2) \
                    == entry["msgstr"][1]


def test_state_names_follow_the_language_but_exports_stay_chinese():
    with translation.override("en"):
        assert str(State.SUPPLEMENTING.label) == "Awaiting supplementation"
        assert chinese_name(State.SUPPLEMENTING) == "待补正"
    assert str(State.SUPPLEMENTING.label) == "待补正"


def test_a_request_in_english_leaves_the_thread_in_chinese(english, db):
    page(english, reverse("web:guide-list"))
    assert translation.get_language() == settings.LANGUAGE_CODE
    assert str(State.ABANDONED.label) == "视为放弃"


def test_the_applicant_pages_in_english(english, applicant, make_application):
    application = make_application("qi-service")
    english.force_login(applicant)
    listing = page(english, reverse("web:application-list"))
    for words in ("My applications", "Organisation", "Guides", "Log out",
                  "Applications of your organisation", "Application no.", "Sub-programme",
                  "Draft", "Continue editing", "Applicant contact"):
        assert words in listing, words
    assert "本单位的申请" not in listing and "我的申请" not in listing
    edit = page(english, reverse("web:application-edit", args=[application.pk]))
    for words in ("Project details", "Sub-programme figures", "Materials", "Self-check",
                  "Met", "Not met", "mandatory conditions are not met", "Official seal required",
                  "Check and submit", 'lang="en"'):
        assert words in edit, words
    assert "自检" not in re.sub(r"<[^>]+>", " ", edit).split()


def test_the_applicant_pages_without_a_choice_are_chinese(client, applicant, make_application):
    application = make_application("qi-service")
    client.force_login(applicant)
    listing = page(client, reverse("web:application-list"))
    assert "本单位的申请" in listing and "草稿" in listing and "My applications" not in listing
    edit = page(client, reverse("web:application-edit", args=[application.pk]))
    assert "项目基本信息" in edit and "硬性条件未满足" in edit and "Self-check" not in edit


def test_the_officer_queue_in_english_and_in_chinese(english, officer, make_application,
                                                     applicant):
    from qualityfund.core.applications import services

    services.submit(make_application("qi-service", filled=True), by=applicant)
    english.force_login(officer)
    queue = page(english, reverse("web:review-queue"))
    for words in ("Formal review", "All sub-programmes", "Awaiting acceptance",
                  "Case officer"):
        assert words in queue, words
    del english.cookies[settings.LANGUAGE_COOKIE_NAME]
    chinese = page(english, reverse("web:review-queue"))
    assert "受理审查" in chinese and "已提交，待受理" in chinese and "Formal review" not in chinese


def test_the_public_notice_in_english_and_in_chinese(english, guide, officer):
    director = factories.make_user(Role.DIRECTOR)
    brand_year(guide, officer, 2)
    advance(funding.draft_plan(guide, "brand", by=officer), officer, director, "noticed")
    url = reverse("web:funding-notice", args=[guide.slug])
    notice = page(english, url)
    for words in (f"Projects Proposed for Funding by the {guide.year} Shenzhen",
                  "Notice period: ", "Proposed amount (10,000 yuan)", "File an objection",
                  "Anonymous objections will not be accepted"):
        assert words in notice, words
    assert "年度深圳市质量品牌领域专项资金拟资助项目公示" not in notice
    del english.cookies[settings.LANGUAGE_COOKIE_NAME]
    chinese = page(english, url)
    assert f"{guide.year}年度深圳市质量品牌领域专项资金拟资助项目公示" in chinese
    assert "公示期：" in chinese and "File an objection" not in chinese


def test_the_language_switch_itself(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = page(client, reverse("web:guide-list"))
    assert "Log in" in english and "Register organisation" in english
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    chinese = page(client, reverse("web:guide-list"))
    assert "登录" in chinese and "Log in" not in chinese
