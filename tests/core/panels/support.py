"""Builders for panel tests: an expert pool, applications put into ``rechecked``, full sheets.

Formal review (受理/复审) is built elsewhere; here applications reach ``rechecked`` through
``core.applications.services.transition`` as the officer would move them.
"""

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications import services as application_services
from qualityfund.core.applications.services import transition
from qualityfund.core.applications.states import State
from qualityfund.core.panels import services
from qualityfund.core.panels.models import Expert
from qualityfund.domain.credit_code import make_valid
from tests import factories

_numbers = iter(range(100, 100_000))


def make_expert(name=None, *, expertise=("质量技术攻关", "质量管理"), employer_code=None,
                employer_name="深圳大学", relations=(), available=True, email=""):
    n = next(_numbers)
    user = factories.make_user(Role.EXPERT, username=f"expert-{n}")
    return Expert.objects.create(
        user=user, name=name or f"专家{n}", title="正高级工程师", email=email,
        employer_name=employer_name,
        employer_code=employer_code or make_valid(f"12440300MB2{n:05d}Y"),
        expertise=list(expertise), available=available,
        relations=[{"code": c, "name": "关联单位"} for c in relations])


def rechecked_applications(guide, subprogramme, count, *, officer, with_material=False):
    """``count`` applications of different organisations, each moved to ``rechecked``."""
    applications = []
    for i in range(count):
        organisation = factories.make_organisation(f"深圳市第{i + 1:02d}号质量科技有限公司")
        user = factories.make_user(Role.APPLICANT, organisation)
        application = application_services.create_application(
            guide=guide, subprogramme=subprogramme, by=user)
        fields = {"project_name": f"{organisation.name[3:9]}质量攻关项目{i + 1}"}
        if guide.subprogramme(subprogramme).funding.cap:
            fields["requested_amount"] = guide.subprogramme(subprogramme).funding.cap
        application = application_services.save_draft(application, by=user, fields=fields)
        if with_material:
            material = next(m for m in application.spec.materials if not m.generated)
            application_services.upload_material(
                application, material.key, factories.upload("报告.pdf"), by=user)
        application.number = f"ZLPP-{guide.year}-{subprogramme.upper()}-{application.pk:06d}"
        application.save(update_fields=["number"])
        for target in (State.SUBMITTED, State.ACCEPTED, State.RECHECKED):
            transition(application, target, by=officer if target != State.SUBMITTED else user)
        applications.append(application)
    return applications


def full_values(panel, score, *, recommend=True):
    """Sheet values that confirm: every key scored ``score``, comments, the extras."""
    spec = panel.sheet_spec
    if spec.mode == "excellence":
        score = str(min(100, 5 * round(float(score) / 5)))
    return {
        "scores": {key: str(score) for key in spec.score_keys},
        "comments": {c.key: f"{c.title}：材料翔实，论证充分。" for c in spec.criteria},
        "recommendation": recommend,
        "tier": 2 if spec.tiers and recommend else None,
        "amount": min(150_000, spec.amount_cap) if spec.amount_cap and recommend else None,
        "site_visit": "现场核查：设备、台账与报告一致。" if spec.site_visit == "required" else "",
    }


def score_all(panel, score_of):
    """Every active member scores and confirms every application not yet confirmed:
    ``score_of(member, application)`` gives (score, recommends)."""
    for member in panel.members.filter(status="active").select_related("expert__user"):
        user = member.expert.user
        services.clear_conflicts(panel, by=user)
        for entry in panel.entries.select_related("application"):
            if member.sheets.filter(application=entry.application, status="confirmed").exists():
                continue
            value, recommend = score_of(member, entry.application)
            services.save_sheet(entry.application, by=user,
                                values=full_values(panel, value, recommend=recommend))
            services.confirm_sheet(entry.application, by=user)
