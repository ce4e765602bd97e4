"""Who may do what to an application. Applicants act only for their own organisation."""

import rules

from qualityfund.core.accounts.rules import is_applicant, is_bureau_reader


@rules.predicate
def is_own(user, application) -> bool:
    return (
        application is not None
        and user.is_authenticated
        and user.organisation_id is not None
        and application.organisation_id == user.organisation_id
    )


is_own_applicant = is_applicant & is_own

rules.add_perm("applications.create_application", is_applicant)
rules.add_perm("applications.view_application", is_own_applicant | is_bureau_reader)
rules.add_perm("applications.change_application", is_own_applicant)
rules.add_perm("applications.submit_application", is_own_applicant)
rules.add_perm("applications.withdraw_application", is_own_applicant)
