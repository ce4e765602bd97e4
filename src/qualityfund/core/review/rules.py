"""Who may do formal review (django-rules). The separation of first review and recheck is
a rule about the person, checked in the service with a message that says so."""

import rules

from qualityfund.core.accounts.rules import is_bureau_reader, is_officer, is_rechecker

rules.add_perm("review.view_queue", is_bureau_reader)
rules.add_perm("review.view_application", is_bureau_reader)
rules.add_perm("review.accept_application", is_officer)
rules.add_perm("review.refuse_application", is_officer)
rules.add_perm("review.request_supplementation", is_officer)
rules.add_perm("review.recheck_application", is_rechecker)
rules.add_perm("review.verify_application", is_officer)
