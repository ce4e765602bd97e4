"""Registering organisations and their applicant users; editing the organisation."""

from dataclasses import dataclass

from django.db import transaction

from qualityfund.core.common import audit, text
from qualityfund.core.common.permissions import require
from qualityfund.domain.selfcheck import names_identical

from . import passwords
from .identity import IDENTITY_FIELDS, is_frozen
from .identity_changes import request_identity_change
from .models import IdentityChangeRequest, Organisation, Role, User

TEXT_FIELDS = ("name", "account_subject_name", "legal_representative", "industry", "address",
               "contact_name", "contact_phone", "contact_email", "bank_account_name",
               "bank_name", "bank_account_number")


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


def _check_person(user: User) -> None:
    """An applicant user's name: every character visible, as the organisation's names."""
    for name in ("last_name", "first_name"):
        field = User._meta.get_field(name)
        text.clean_value(getattr(user, name), limit=field.max_length,
                         label=str(field.verbose_name), field=name, name=True)


@transaction.atomic
def register_organisation(organisation: Organisation, user: User, password: str) -> User:
    """Create an organisation with its first applicant user (anyone may register)."""
    text.check_instance(organisation, TEXT_FIELDS)
    _check_person(user)
    organisation.save()
    user.role = Role.APPLICANT
    user.organisation = organisation
    passwords.store(user, password, must_change=False)
    audit.record(user, "organisation.register", organisation,
                 credit_code=organisation.credit_code, user=user.username)
    return user


@dataclass(frozen=True)
class OrganisationUpdate:
    organisation: Organisation
    change: IdentityChangeRequest | None  # the identity change request it made, if any


@transaction.atomic
def update_organisation(organisation: Organisation, values: dict, *, by,
                        reason: str = "") -> OrganisationUpdate:
    """Save edits made by a member of the organisation (or an admin).

    Contact details change at once. Once the organisation has submitted an application, new
    identity values (name, credit code, account, trust level) become an identity change
    request for an officer instead, in the same transaction."""
    require(by, "accounts.change_organisation", organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = {name: value for name, value in values.items()
               if getattr(organisation, name) != value}
    held = ({name: changed.pop(name) for name in IDENTITY_FIELDS if name in changed}
            if is_frozen(organisation) else {})
    for name, value in changed.items():
        setattr(organisation, name, value)
    if changed:
        text.check_instance(organisation, [n for n in changed if n in TEXT_FIELDS])
        organisation.save()
        audit.record(by, "organisation.update", organisation,
                     changed={name: str(value) for name, value in changed.items()})
    change = request_identity_change(organisation, held, by=by, reason=reason) if held else None
    return OrganisationUpdate(organisation, change)


@transaction.atomic
def add_colleague(organisation: Organisation, user: User, password: str, *, by) -> User:
    """Another applicant user for the same organisation. The colleague did not choose the
    password, so it is an initial one: changed at first log-in."""
    require(by, "accounts.change_organisation", organisation)
    _check_person(user)
    user.role = Role.APPLICANT
    user.organisation = organisation
    passwords.store(user, password, must_change=True)
    audit.record(by, "organisation.add_user", organisation, user=user.username)
    return user
