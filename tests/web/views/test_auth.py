"""Registration and log-in with lock-out."""

from django.urls import reverse

from qualityfund.core.accounts.models import Organisation, User
from qualityfund.domain.credit_code import make_valid
from tests.factories import PASSWORD, make_organisation, make_user


def _registration(code, **overrides):
    data = {
        "org-credit_code": code, "org-name": "深圳市新注册质量有限公司",
        "org-account_subject_name": "深圳市新注册质量有限公司",
        "org-established_on": "2018-01-01", "org-legal_representative": "王五",
        "org-district": "宝安区", "org-industry": "制造业", "org-address": "深圳市宝安区1号",
        "org-contact_name": "王五", "org-contact_phone": "13800000000",
        "org-contact_email": "a@example.cn", "org-bank_account_name": "深圳市新注册质量有限公司",
        "org-bank_name": "", "org-bank_account_number": "", "org-trust_level": "5",
        "user-username": "newuser", "user-last_name": "王", "user-first_name": "五",
        "user-email": "a@example.cn", "user-phone": "13800000000",
        "user-password1": "a-long-pass-2025!", "user-password2": "a-long-pass-2025!",
    }
    data.update(overrides)
    return data


def test_registration_normalises_the_credit_code(client, db):
    code = make_valid("91440300MA5XK7P2Q")
    response = client.post(reverse("web:register"),
                           _registration(" " + code[:9].lower() + " " + code[9:]))
    assert response.status_code == 302
    assert Organisation.objects.get().credit_code == code
    assert User.objects.get(username="newuser").organisation.credit_code == code


def test_a_wrong_check_digit_is_named_in_chinese(client, db):
    code = make_valid("91440300MA5XK7P2Q")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client.post(reverse("web:register"), _registration(wrong))
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert not Organisation.objects.exists()


def test_different_names_are_warned_at_registration(client, db):
    response = client.post(reverse("web:register"), _registration(
        make_valid("91440300MA5XK7P2Q"), **{"org-bank_account_name": "深圳市别的公司"}),
        follow=True)
    assert "三者名称必须一致" in response.content.decode()


def test_several_applicants_per_organisation(client, db):
    organisation = make_organisation()
    first = make_user(organisation=organisation)
    client.force_login(first)
    client.post(reverse("web:organisation-add-user"), {
        "user-username": "colleague", "user-last_name": "李", "user-first_name": "四",
        "user-email": "", "user-phone": "", "user-password1": "a-long-pass-2025!",
        "user-password2": "a-long-pass-2025!"})
    assert User.objects.get(username="colleague").organisation == organisation


def test_login_locks_out_after_five_failures(client, db):
    user = make_user(organisation=make_organisation())
    for _ in range(5):
        client.post(reverse("web:login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("web:login"),
                           {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(db):
    assert make_user().password.startswith("argon2")
