import rules

from qualityfund.core.accounts.rules import is_admin

rules.add_perm("guides.view_guide", rules.always_allow)
rules.add_perm("guides.change_guide", is_admin)
