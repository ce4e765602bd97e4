"""``qualityfund abandon_overdue``: the periodic task's work, from the command line."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from qualityfund.core.applications import services as applications
from qualityfund.core.applications.states import State
from qualityfund.core.review import services
from qualityfund.core.review.services import ItemRequest


def test_applications_past_their_deadline_are_abandoned(make_application, applicant, officer):
    application = applications.submit(make_application("brand", filled=True), by=applicant)
    request = services.request_supplementation(
        application, by=officer, items=[ItemRequest("material:pledge", "未盖章")])
    out = StringIO()

    call_command("abandon_overdue", "--now", request.deadline.isoformat(), stdout=out)
    application.refresh_from_db()
    assert application.state == State.SUPPLEMENTING  # 18:00 on the last day still counts
    assert "共 0 件" in out.getvalue()

    later = (request.deadline + timedelta(minutes=1)).isoformat()
    call_command("abandon_overdue", "--now", later, stdout=out)
    application.refresh_from_db()
    assert application.state == State.ABANDONED
    assert f"视为放弃：{application.number}" in out.getvalue()
    assert "共 1 件申请逾期未补正" in out.getvalue()


def test_now_must_carry_a_time_zone(db):
    with pytest.raises(CommandError, match="须带时区"):
        call_command("abandon_overdue", "--now", "2025-10-14T09:00:00")
