"""``qualityfund seed_showcase``: a year in progress in the demo guide, made through the
service functions, with work for every role; a second run changes nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from qualityfund.core.accounts.demo import DEMO_PASSWORD, create_demo_accounts
from qualityfund.core.accounts.models import Organisation, User
from qualityfund.core.applications.models import Application, MaterialFile, StateChange
from qualityfund.core.common.audit import trail
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.common.tasks import run_deferred
from qualityfund.core.funding.models import DisqualifierCheck, FundingPlan
from qualityfund.core.panels.models import Panel, ScoreSheet
from qualityfund.core.panels.replay import replay
from qualityfund.core.review.models import Supplementation
from qualityfund.core.showcase import data
from qualityfund.domain.credit_code import validate

# Where each stage of the showcase leaves an application.
STATE_OF_STAGE = {
    data.SUBMITTED: "submitted", data.SUPPLEMENTING: "supplementing",
    data.SUPPLEMENTED_ACCEPTED: "accepted", data.ACCEPTED: "accepted",
    data.REFUSED: "refused", data.RECHECKED: "rechecked", data.VERIFIED: "reviewed",
    data.PANEL_OPEN: "rechecked", data.PANEL_DONE: "cleared",
}


def _run() -> str:
    out = StringIO()
    call_command("seed_showcase", stdout=out)
    return out.getvalue()


def _totals() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (
        Organisation, User, Application, MaterialFile, StateChange, AuditRecord, Panel,
        ScoreSheet, Supplementation)}


def test_a_showcase_year_through_the_services(guide, django_capture_on_commit_callbacks):
    """Built once (it takes seconds), then looked at from every side; a second run adds
    nothing."""
    create_demo_accounts()
    with django_capture_on_commit_callbacks(execute=True):
        output = _run()
    run_deferred()  # the material checks, queued once the data was committed
    _states_spread_so_that_every_role_has_work(guide, output)
    _each_application_has_its_timeline_and_audit_trail(guide)
    _materials_are_real_sealed_pdfs_that_pass_the_checks(guide)
    _organisations_register_with_identical_names_and_valid_codes()
    _panels_one_scoring_one_finalised_both_drawn_by_the_server(guide, output)
    _a_plan_waits_for_the_directors_decision(guide, output)
    before = _totals()
    with django_capture_on_commit_callbacks(execute=True):
        again = _run()
    assert "未重复创建" in again
    assert _totals() == before


def _states_spread_so_that_every_role_has_work(guide, output):
    states = Counter(Application.objects.filter(guide=guide).values_list("state", flat=True))
    assert states == Counter(STATE_OF_STAGE[p.stage] for p in data.PROJECTS)
    assert states == {"submitted": 4, "supplementing": 1, "accepted": 4, "refused": 1,
                      "rechecked": 10, "reviewed": 2, "cleared": 4}
    assert {a.subprogramme for a in Application.objects.filter(guide=guide)} == {
        "honors", "qi-service", "gba", "brand", "innovation", "digital", "incubation"}
    assert "officer：受理审查队列中有 4 件待受理" in output
    assert "rechecker：复审队列中有 4 件已受理待复审" in output


def _each_application_has_its_timeline_and_audit_trail(guide):
    for application in Application.objects.filter(guide=guide):
        timeline = list(application.state_changes.order_by("at", "id")
                        .values_list("to_state", flat=True))
        assert timeline[0] == "draft" and timeline[-1] == application.state
        actions = {r.action for r in trail(application)}
        assert {"application.create", "application.save_draft", "material.upload",
                "application.submitted"} <= actions
        assert application.form_pdf and application.number


def _materials_are_real_sealed_pdfs_that_pass_the_checks(guide):
    files = MaterialFile.objects.filter(application__guide=guide)
    assert files.exists()
    for record in files:
        assert record.file_type == "pdf" and record.inspection == "done"
        assert record.findings and all(f["status"] == "pass" for f in record.findings), (
            record.material_key, record.findings)


def _organisations_register_with_identical_names_and_valid_codes():
    for org in data.ORGANISATIONS:
        user = User.objects.select_related("organisation").get(username=org.username)
        organisation = user.organisation
        assert user.check_password(DEMO_PASSWORD)
        assert organisation.name == organisation.account_subject_name == (
            organisation.bank_account_name)
        assert validate(organisation.credit_code) == organisation.credit_code
        assert trail(organisation).filter(action="organisation.register").exists()


def _panels_one_scoring_one_finalised_both_drawn_by_the_server(guide, output):
    brand = Panel.objects.get(guide=guide, subprogramme="brand")
    assert brand.status == "drawn" and brand.scoring_basis == "rubric"
    # Nobody picks the seed, not even the showcase: the chair is the demo ``expert`` account
    # when the draw seats it, else seat 1; the summary says which account it is.
    seated = list(brand.members.filter(status="active").select_related("expert__user"))
    usernames = [m.expert.user.username for m in seated]
    assert brand.chair.user.username == ("expert" if "expert" in usernames else
                                         seated[0].expert.user.username)
    assert f"{brand.chair.user.username}（组长）：“{brand.name}”评审中" in output
    replayed = replay(brand)
    assert replayed.matches and replayed.seeds[0].holds and replayed.seeds[0].committed_first
    assert {key for s in ScoreSheet.objects.filter(panel=brand) for key in s.scores} <= {
        "exemplary-representativeness", "social-participation", "public-benefit"}
    sheets = ScoreSheet.objects.filter(panel=brand)
    confirmed = sheets.filter(status="confirmed").count()
    assert 0 < confirmed < 5 * brand.entries.count()
    assert sheets.filter(status="draft").exists()
    innovation = Panel.objects.get(guide=guide, subprogramme="innovation")
    assert innovation.status == "finalised"
    assert all(e.application.review_score is not None for e in innovation.entries.all())
    request = Supplementation.objects.open().get(application__guide=guide)
    assert request.application.organisation.users.filter(username="applicant").exists()


def _a_plan_waits_for_the_directors_decision(guide, output):
    plan = FundingPlan.objects.get(guide=guide, subprogramme="innovation")
    assert plan.state == "consultation"
    assert all(c.opinion for c in plan.consultations.all())
    assert plan.items.count() == 4
    # A round on purpose: the fifth innovation application waits for a second panel.
    assert (plan.round_name, plan.split) == ("第一批", True) and "第二批" in plan.reason
    assert Application.objects.get(guide=guide, subprogramme="innovation",
                                   state="rechecked").project_name.startswith("5G射频模组")
    assert "质量攻关及创新拟资助方案（第一批）已征求意见完毕，待集体研究决策" in output
    assert all(c.outcome in ("clear", "judgement") for c in DisqualifierCheck.objects.filter(
        application__guide=guide, superseded=False))


@pytest.mark.django_db
def test_without_the_demo_guide_it_says_what_to_run_first():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_showcase", stdout=StringIO())
