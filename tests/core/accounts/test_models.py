"""A user's permissions follow their role, even for a Django superuser."""

from qualityfund.core.accounts.models import Role
from tests.factories import make_user


def test_a_superuser_administrator_gets_the_admin_roles_permissions_only(db):
    admin = make_user(Role.ADMIN)
    admin.is_superuser = admin.is_staff = True
    admin.save()
    assert not admin.has_perm("review.accept_application")
    assert not admin.has_perm("funding.pay")
    assert admin.has_perm("guides.change_guide")
    assert admin.has_perm("accounts.view_user")  # Django's own admin-site permission
