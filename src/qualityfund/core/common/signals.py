"""Log-in, log-out and failed log-in go into the audit trail, with where they came from.

Django sends these signals from every way in (the pages, the API token, the admin); a
failed attempt is recorded with the user name tried, never with the password.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit

USERNAME_LENGTH = 150


@receiver(user_logged_in, dispatch_uid="audit-login")
def logged_in(sender, user, **kwargs):
    audit.record(user, f"{audit.ACCESS}login", user)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def logged_out(sender, user=None, **kwargs):
    if user is not None:
        audit.record(user, f"{audit.ACCESS}logout", user)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def login_failed(sender, credentials, **kwargs):
    username = str(credentials.get("username", ""))[:USERNAME_LENGTH]
    audit.record(None, f"{audit.ACCESS}login_failed", username=username)
