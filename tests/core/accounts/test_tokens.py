"""API tokens: hashed at rest, expiring by role, dead after a password change, revoked only by
their owner, and refused to a password-only staff token on a two-factor server."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qualityfund.core.accounts import tokens
from qualityfund.core.accounts.models import ApiToken
from qualityfund.core.common.models import AuditRecord


def test_only_a_hash_of_the_key_is_stored(applicant):
    token, key = tokens.issue(applicant, second_factor=False, address="198.51.100.7")
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert key not in str(stored) and stored["prefix"] == key[:8]
    assert tokens.resolve(key).user == applicant
    record = AuditRecord.objects.get(action="account.token.issue")
    assert key not in str(record.data) and record.data["address"] == "198.51.100.7"


def test_staff_tokens_last_eight_hours_and_others_a_day(officer, applicant, settings):
    for user, hours in ((officer, 8), (applicant, 24)):
        token, _ = tokens.issue(user, second_factor=False)
        assert token.expires_at - token.created_at == pytest.approx(timedelta(hours=hours),
                                                                    abs=timedelta(seconds=1))
    settings.API_TOKEN_HOURS_STAFF = 1
    token, _ = tokens.issue(officer, second_factor=False)
    assert token.expires_at - token.created_at < timedelta(hours=1, seconds=1)


def test_an_expired_token_is_refused(applicant):
    token, key = tokens.issue(applicant, second_factor=False)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(tokens.TokenRefused, match="令牌已过期"):
        tokens.resolve(key)
    assert tokens.active(applicant) == []


@pytest.mark.parametrize("key", ["", "0123456789abcdef", "x" * 43])
def test_an_unknown_key_is_refused(db, key):
    with pytest.raises(tokens.TokenRefused, match="令牌无效"):
        tokens.resolve(key)


def test_any_password_change_ends_the_token_even_outside_the_services(applicant):
    """Django's own paths (the ``changepassword`` command, a reset) bypass the services; the
    token is tied to the password itself."""
    _, key = tokens.issue(applicant, second_factor=False)
    applicant.set_password("Another-pass-2026")
    applicant.save()
    with pytest.raises(tokens.TokenRefused, match="密码已修改"):
        tokens.resolve(key)


def test_a_deactivated_user_s_token_is_refused(applicant):
    _, key = tokens.issue(applicant, second_factor=False)
    applicant.is_active = False
    applicant.save()
    with pytest.raises(tokens.TokenRefused):
        tokens.resolve(key)


def test_a_password_only_staff_token_is_refused_on_a_two_factor_server(officer, settings):
    _, password_only = tokens.issue(officer, second_factor=False)
    _, verified = tokens.issue(officer, second_factor=True)
    settings.STAFF_REQUIRE_2FA = True
    with pytest.raises(tokens.TokenRefused) as caught:
        tokens.resolve(password_only)
    assert caught.value.status == 403 and "两步验证" in caught.value.message
    assert tokens.resolve(verified).user == officer


def test_only_the_owner_revokes_a_token(applicant, other_applicant, admin_user):
    token, key = tokens.issue(applicant, second_factor=False)
    for stranger in (other_applicant, admin_user):
        with pytest.raises(PermissionDenied):
            tokens.revoke(token, by=stranger)
    assert tokens.resolve(key)
    tokens.revoke(token, by=applicant)
    with pytest.raises(tokens.TokenRefused):
        tokens.resolve(key)
    assert AuditRecord.objects.filter(action="account.token.revoke", actor=applicant).exists()


def test_use_is_recorded_without_a_write_per_request(applicant, django_assert_num_queries):
    _, key = tokens.issue(applicant, second_factor=False)
    with django_assert_num_queries(2):  # the token and its user; last_used_at written
        tokens.resolve(key)
    with django_assert_num_queries(1):  # within the minute: read only
        tokens.resolve(key)
