"""Who may do what after review (django-rules). 指南 五 and DESIGN.md "Who uses it"."""

import rules

from qualityfund.core.accounts.models import Role
from qualityfund.core.accounts.rules import (
    has_role,
    is_bureau_reader,
    is_director,
    is_finance,
)

is_case_officer = has_role(Role.OFFICER)
# 受理/初审 or 复审: the officers who import the lists the checks read, one importing and
# another approving (the service refuses the importer's own approval).
is_any_officer = has_role(Role.OFFICER, Role.RECHECKER)

rules.add_perm("funding.view", is_bureau_reader)
rules.add_perm("funding.import_list", is_any_officer)
rules.add_perm("funding.review_list", is_any_officer)
rules.add_perm("funding.import_earlier", is_any_officer)
rules.add_perm("funding.run_checks", is_case_officer)
rules.add_perm("funding.decide_check", is_case_officer)
rules.add_perm("funding.draft_plan", is_case_officer)
rules.add_perm("funding.adjust_plan", is_case_officer)
rules.add_perm("funding.consult", is_case_officer)
# 集体研究决策: the bureau's leadership records the decision.
rules.add_perm("funding.decide_plan", is_director)
rules.add_perm("funding.publish_notice", is_case_officer)
rules.add_perm("funding.answer_objection", is_case_officer)
rules.add_perm("funding.finalise_plan", is_case_officer | is_director)
# 预算管理及资金拨付
rules.add_perm("funding.pay", is_finance)
