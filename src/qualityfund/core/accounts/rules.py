"""Role predicates and the permissions on organisations (django-rules)."""

import rules

from .models import Role


def has_role(*roles: str):
    """A predicate true for an authenticated user holding one of ``roles``."""

    @rules.predicate(name=f"has_role({','.join(roles)})")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)

    return predicate


is_applicant = has_role(Role.APPLICANT)
is_officer = has_role(Role.OFFICER, Role.RECHECKER)
is_rechecker = has_role(Role.RECHECKER)
is_director = has_role(Role.DIRECTOR)
is_finance = has_role(Role.FINANCE)
is_auditor = has_role(Role.AUDITOR)
is_admin = has_role(Role.ADMIN)
is_expert = has_role(Role.EXPERT)
is_bureau_reader = has_role(Role.OFFICER, Role.RECHECKER, Role.DIRECTOR, Role.FINANCE,
                            Role.AUDITOR, Role.ADMIN)


@rules.predicate
def is_member(user, organisation) -> bool:
    return (
        organisation is not None
        and user.is_authenticated
        and user.role == Role.APPLICANT
        and user.organisation_id == organisation.pk
    )


rules.add_perm("accounts.view_organisation", is_member | is_bureau_reader)
rules.add_perm("accounts.change_organisation", is_member | is_admin)
rules.add_perm("accounts.register_organisation", rules.always_allow)


@rules.predicate
def is_self(user, other) -> bool:
    return other is not None and user.pk == other.pk


@rules.predicate
def owns_token(user, token) -> bool:
    return token is not None and user.is_authenticated and token.user_id == user.pk


# Accounts: an administrator issues initial passwords, enrolment codes (never to themselves:
# another administrator, or the operator at the command line) and resets a lost
# authenticator; each user revokes their own API tokens.
rules.add_perm("accounts.issue_password", is_admin)
rules.add_perm("accounts.issue_enrolment_code", is_admin & ~is_self)
rules.add_perm("accounts.reset_two_factor", is_admin)
rules.add_perm("accounts.revoke_token", owns_token)


@rules.predicate
def is_requester(user, change) -> bool:
    """A member of the organisation whose identity change request it is."""
    return change is not None and is_member(user, change.organisation)


# 身份信息变更: the organisation's applicants and bureau staff read the requests; officers
# (受理/初审, a rechecker included) decide them.
rules.add_perm("accounts.view_identity_change", is_requester | is_bureau_reader)
rules.add_perm("accounts.view_identity_changes", is_bureau_reader)
rules.add_perm("accounts.decide_identity_change", is_officer)
