"""Passwords: the rule, initial passwords changed at first log-in, and what a change ends."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qualityfund.core.accounts import passwords, tokens
from qualityfund.core.accounts.demo import DEMO_PASSWORD, create_demo_accounts
from qualityfund.core.accounts.models import User
from qualityfund.core.accounts.services import add_colleague
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.panels import pool
from qualityfund.core.panels.demo import create_demo_experts
from tests import factories
from tests.core.panels.support import make_expert

NEW = "Changed-pass-2026"


@pytest.mark.parametrize("weak", ["Short-pass1", "alllowercaseletters", "abcdefgh1234",
                                  "ABCDEFGH-IJKL"])
def test_the_validator_refuses_weak_passwords_in_chinese(db, weak):
    with pytest.raises(ValidationError) as caught:
        validate_password(weak)
    assert any("至少须有12个字符" in m and "至少3类" in m for m in caught.value.messages)


def test_the_demo_accounts_keep_the_readmes_password_and_are_not_forced(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    validate_password(DEMO_PASSWORD)
    for user in create_demo_accounts() + [e.user for e in create_demo_experts(3)]:
        assert user.check_password(DEMO_PASSWORD)
        assert passwords.change_required(user) is None


def test_an_issued_password_meets_the_rule_and_must_be_changed(admin_user, officer):
    issued = passwords.issue_password(officer, by=admin_user)
    validate_password(issued)
    officer.refresh_from_db()
    assert officer.check_password(issued) and officer.password_must_change
    assert "初始密码" in passwords.change_required(officer)
    record = AuditRecord.objects.get(action="account.password.issue")
    assert record.actor == admin_user and issued not in str(record.data)


def test_only_an_administrator_issues_passwords(officer, rechecker):
    with pytest.raises(PermissionDenied):
        passwords.issue_password(rechecker, by=officer)
    rechecker.refresh_from_db()
    assert rechecker.check_password(factories.PASSWORD)


def test_an_experts_initial_password_from_the_pool_must_be_changed(admin_user):
    expert = make_expert("王建华")
    issued = pool.issue_password(expert, by=admin_user)
    expert.user.refresh_from_db()
    assert expert.user.check_password(issued) and expert.user.password_must_change


def test_a_colleague_added_by_an_applicant_changes_the_password_at_first_log_in(applicant):
    colleague = add_colleague(applicant.organisation, User(username="colleague"),
                              "Colleague-pass-1", by=applicant)
    assert colleague.password_must_change


def test_changing_clears_the_flag_and_ends_every_token(admin_user, officer):
    issued = passwords.issue_password(officer, by=admin_user)
    tokens.issue(officer, second_factor=False)
    passwords.change_password(officer, issued, NEW)
    officer.refresh_from_db()
    assert officer.check_password(NEW) and passwords.change_required(officer) is None
    assert officer.api_tokens.count() == 0
    assert AuditRecord.objects.filter(action="account.password.change", actor=officer).exists()


@pytest.mark.parametrize(("current", "new", "field", "words"), [
    ("wrong-pass-2025!", NEW, "old_password", "当前密码不正确"),
    (factories.PASSWORD, factories.PASSWORD, "new_password1", "不能与当前密码相同"),
    (factories.PASSWORD, "weakpassword", "new_password1", "至少须有12个字符"),
])
def test_a_refused_change_names_the_field_and_changes_nothing(officer, current, new, field,
                                                              words):
    with pytest.raises(RuleViolation) as caught:
        passwords.change_password(officer, current, new)
    assert caught.value.field == field and words in caught.value.message
    officer.refresh_from_db()
    assert officer.check_password(factories.PASSWORD)


def test_staff_passwords_expire_only_when_the_setting_says(officer, applicant, settings):
    for user in (officer, applicant):
        user.password_changed_at = timezone.now() - timedelta(days=100)
    assert passwords.change_required(officer) is None
    settings.STAFF_PASSWORD_MAX_AGE_DAYS = 90
    assert "超过90天" in passwords.change_required(officer)
    assert passwords.change_required(applicant) is None  # staff only
