import rules

from qualityfund.core.accounts.rules import is_admin, is_auditor

rules.add_perm("common.view_auditrecord", is_auditor | is_admin)
