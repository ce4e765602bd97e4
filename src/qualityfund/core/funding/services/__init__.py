"""Every change after review, each in one transaction with a permission check and an audit
record, by stage: imports, disqualifier checks, the plan, notice and objections, payment.

指南 五: 不予资助情形查询——拟资助方案征求意见——集体研究决策——拟资助方案社会公示——
预算管理及资金拨付. Views, the API and commands call these; none sets a state itself.
"""

from .checks import clear_application, clearance_problems, decide_check, index_year, run_checks
from .imports import import_earlier, import_list, review_list
from .notice import (
    NOTICE_WORKDAYS,
    answer_objection,
    file_objection,
    finalise_plan,
    publish_notice,
)
from .payments import confirm_account, create_batch, mark_failed, mark_paid, payable_items
from .plans import (
    adjust_amount,
    draft_plan,
    earlier_flags,
    plan_inputs,
    record_decision,
    record_opinion,
    send_for_consultation,
)

__all__ = [
    "NOTICE_WORKDAYS", "adjust_amount", "answer_objection", "clear_application",
    "clearance_problems", "confirm_account", "create_batch", "decide_check", "draft_plan", "earlier_flags",
    "file_objection", "finalise_plan", "import_earlier", "import_list", "index_year",
    "mark_failed", "mark_paid", "payable_items", "plan_inputs", "publish_notice",
    "record_decision", "record_opinion", "review_list", "run_checks", "send_for_consultation",
]
