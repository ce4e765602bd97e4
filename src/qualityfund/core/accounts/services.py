"""Registering organisations and their applicant users; editing the organisation."""

from django.db import transaction

from qualityfund.core.common import audit
from qualityfund.core.common.permissions import require
from qualityfund.domain.selfcheck import names_identical

from . import passwords
from .models import Organisation, Role, User


def name_warnings(organisation: Organisation) -> list[str]:
    """指南 七（五）: "账户注册主体、资助申请主体以及银行开户名三者名称必须一致" — warned at
    registration, blocking at submission (the self-check)."""
    if not names_identical(organisation.account_subject_name, organisation.name,
                    organisation.bank_account_name):
        return [(
            "账户注册主体名称、申报单位名称与银行开户名三者不一致"
            f"（{organisation.account_subject_name} / {organisation.name} / "
            f"{organisation.bank_account_name}）。指南七（五）要求三者名称必须一致，"
            "否则将影响审核结果及资金发放；提交申请时将不予通过。"
        )]
    return []


@transaction.atomic
def register_organisation(organisation: Organisation, user: User, password: str) -> User:
    """Create an organisation with its first applicant user (anyone may register)."""
    organisation.save()
    user.role = Role.APPLICANT
    user.organisation = organisation
    passwords.store(user, password, must_change=False)
    audit.record(user, "organisation.register", organisation,
                 credit_code=organisation.credit_code, user=user.username)
    return user


@transaction.atomic
def update_organisation(organisation: Organisation, changed: list[str], *, by) -> Organisation:
    """Save edits made by a member of the organisation (or an admin)."""
    require(by, "accounts.change_organisation", organisation)
    organisation.save()
    audit.record(by, "organisation.update", organisation,
                 changed={name: str(getattr(organisation, name)) for name in changed})
    return organisation


@transaction.atomic
def add_colleague(organisation: Organisation, user: User, password: str, *, by) -> User:
    """Another applicant user for the same organisation. The colleague did not choose the
    password, so it is an initial one: changed at first log-in."""
    require(by, "accounts.change_organisation", organisation)
    user.role = Role.APPLICANT
    user.organisation = organisation
    passwords.store(user, password, must_change=True)
    audit.record(by, "organisation.add_user", organisation, user=user.username)
    return user
