"""Every change to panels and score sheets: one function each, with a permission check, a
transaction and an audit record. Views, the API and commands call these."""

from django.db import transaction
from django.utils import timezone

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.services import transition
from qualityfund.core.applications.states import State
from qualityfund.core.common import audit, text
from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.permissions import require
from qualityfund.core.common.tasks import enqueue
from qualityfund.domain import drawing
from qualityfund.domain.scoring import Entries, check, total
from qualityfund.domain.workdays import deadline_after

from . import results, tasks
from .models import EXPERTISE, Conflict, Expert, Panel, PanelApplication, PanelMember, ScoreSheet

# Working days the experts have to score after the draw, unless the officer sets another.
SCORING_WORKDAYS = 10
MAX_SCORING_WORKDAYS = 30
REOPEN_REASON_LIMIT = 500


def _lock_panel(panel: Panel) -> Panel:
    return Panel.objects.select_for_update(of=("self",)).select_related("guide", "chair").get(pk=panel.pk)


# --- creating and drawing a panel ------------------------------------------------------------


@transaction.atomic
def create_panel(*, guide, subprogramme: str, size: int, expertise: list[str], by,
                 name: str = "", applications=None) -> Panel:
    """A panel for the ``rechecked`` applications of a sub-programme not yet on a panel.

    指南: "成立5人以上单数的专家组" — the size is odd and at least the guide's minimum.
    """
    require(by, "panels.manage_panel")
    name = text.clean(Panel, "name", name)
    try:
        sub = guide.subprogramme(subprogramme)
    except KeyError:
        raise RuleViolation(f"指南中没有子项目“{subprogramme}”", field="subprogramme") from None
    if sub.review.method != "panel":
        raise RuleViolation(f"“{sub.name}”采用核查方式，无需组建专家组", field="subprogramme")
    minimum = sub.review.min_panel_size
    if size < minimum or size % 2 == 0:
        raise RuleViolation(f"“专家组人数”应为{minimum}人以上单数，当前为{size}人", field="size")
    unknown = [e for e in expertise if e not in EXPERTISE]
    if not expertise or unknown:
        raise RuleViolation("“所需专业领域”须从专家库的专业领域中至少选择一项"
                            + (f"，未知：{'、'.join(unknown)}" if unknown else ""),
                            field="expertise")
    candidates = Application.objects.filter(
        guide=guide, subprogramme=subprogramme, state=State.RECHECKED,
        panel_entry__isnull=True).select_for_update(of=("self",))
    if applications is not None:
        ids = {a.pk for a in applications}
        chosen = list(candidates.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise RuleViolation("所选申请须为本子项目已复审、且尚未分配专家组的申请",
                                field="applications")
    else:
        chosen = list(candidates)
    if not chosen:
        raise RuleViolation(f"“{sub.name}”没有已复审、待评审的申请，无法组建专家组",
                            field="applications")
    number = Panel.objects.filter(guide=guide, subprogramme=subprogramme).count() + 1
    panel = Panel.objects.create(
        guide=guide, subprogramme=subprogramme, size=size, expertise=list(expertise),
        name=name or f"{guide.year}年{sub.short_name}专家组（第{number}批）", created_by=by)
    PanelApplication.objects.bulk_create(
        [PanelApplication(panel=panel, application=a) for a in chosen])
    audit.record(by, "panel.create", panel, subprogramme=subprogramme, size=size,
                 expertise=list(expertise), applications=[a.pk for a in chosen])
    return panel


def _candidate(expert: Expert) -> dict:
    return {"id": str(expert.pk), "name": expert.name, "employer_name": expert.employer_name,
            "employer_code": expert.employer_code, "expertise": sorted(expert.expertise),
            "related_codes": sorted(expert.relation_codes), "available": expert.available}


def _snapshot() -> list[dict]:
    """The pool as it is now, as stored with a draw."""
    return [_candidate(e) for e in Expert.objects.order_by("pk")]


def pool_candidates(snapshot: list[dict]) -> list[drawing.Candidate]:
    return [drawing.Candidate(id=c["id"], expertise=frozenset(c["expertise"]),
                              employer_code=c["employer_code"],
                              related_codes=frozenset(c["related_codes"]),
                              available=c["available"]) for c in snapshot]


def _declared(panel: Panel) -> list[str]:
    """Experts who declared a conflict on any application of the panel (回避 on record)."""
    return sorted({str(pk) for pk in Conflict.objects.filter(
        application__panel_entry__panel=panel).values_list("expert_id", flat=True)})


def _committed_seed(panel: Panel, by, purpose: str) -> dict:
    """A seed nobody chose, its hash put on the audit trail before the draw that uses it.

    Returns the seed with its hash, for the record that reveals the seed after the draw.
    """
    seed = drawing.fresh_seed()
    algorithm, digest = drawing.commitment(seed)
    audit.record(by, "panel.draw_commit", panel, purpose=purpose, seed_hash=digest,
                 seed_algorithm=algorithm)
    return {"seed": seed, "seed_hash": digest, "seed_algorithm": algorithm}


@transaction.atomic
def draw(panel: Panel, *, by, workdays: int = SCORING_WORKDAYS) -> Panel:
    """Draw the members at random from the pool, conflicts set aside first; all recorded.

    The seed comes from the CSPRNG and its hash is on the audit trail before the draw; the
    seed, the pool as it is now and the applicants' credit codes are stored, so that
    ``replay`` gives the same panel from the record alone. The experts have ``workdays``
    working days to score (评分截止时间, 18:00 on the last).
    """
    panel = _lock_panel(panel)
    require(by, "panels.manage_panel", panel)
    if panel.status != Panel.Status.DRAFT:
        raise RuleViolation("该专家组已抽取，不能重复抽取", field="status")
    if isinstance(workdays, bool) or not isinstance(workdays, int) or not (
            1 <= workdays <= MAX_SCORING_WORKDAYS):
        raise RuleViolation(f"“评分期限”须为1至{MAX_SCORING_WORKDAYS}个工作日，当前为{workdays}",
                            field="workdays")
    snapshot = _snapshot()
    organisations = {e.application.organisation for e in
                     panel.entries.select_related("application__organisation")}
    applicants = sorted(({"code": o.credit_code, "name": o.name} for o in organisations),
                        key=lambda a: a["code"])
    exclude = _declared(panel)
    committed = _committed_seed(panel, by, "draw")
    try:
        result = drawing.draw_panel(
            pool_candidates(snapshot), size=panel.size, expertise=panel.expertise,
            applicant_codes=[a["code"] for a in applicants], seed=committed["seed"],
            exclude=exclude)
    except drawing.DrawError as exc:
        raise RuleViolation(f"抽取失败：{exc}", field="expertise") from None
    now = timezone.now()
    panel.seed, panel.seed_hash = committed["seed"], committed["seed_hash"]
    panel.seed_algorithm = committed["seed_algorithm"]
    panel.pool_snapshot, panel.applicant_codes = snapshot, applicants
    panel.excluded, panel.drawn_members = result.excluded, result.members
    panel.declared_before, panel.replacements = exclude, []
    panel.status, panel.drawn_at, panel.drawn_by = Panel.Status.DRAWN, now, by
    panel.scoring_deadline = deadline_after(now, workdays)
    panel.save()
    members = PanelMember.objects.bulk_create([
        PanelMember(panel=panel, expert_id=int(expert_id), seat=seat)
        for seat, expert_id in enumerate(result.members, start=1)])
    audit.record(by, "panel.draw", panel, seed=committed["seed"], members=result.members,
                 excluded=result.excluded, declared=exclude, pool_size=len(snapshot),
                 scoring_deadline=panel.scoring_deadline.isoformat())
    enqueue(tasks.notify_members, [m.pk for m in members])
    return panel


# --- members: chair, conflicts --------------------------------------------------------------


@transaction.atomic
def appoint_chair(panel: Panel, expert: Expert, *, by) -> Panel:
    panel = _lock_panel(panel)
    require(by, "panels.manage_panel", panel)
    if panel.status != Panel.Status.DRAWN:
        raise RuleViolation("只能为评审中的专家组指定组长", field="chair")
    if not panel.members.filter(expert=expert, status=PanelMember.Status.ACTIVE).exists():
        raise RuleViolation(f"“{expert.name}”不是本专家组在组成员，不能担任组长", field="chair")
    previous = panel.chair_id
    panel.chair = expert
    panel.save(update_fields=["chair"])
    audit.record(by, "panel.appoint_chair", panel, chair=expert.pk, previous=previous)
    return panel


def _member(panel: Panel, user) -> PanelMember:
    member = panel.members.select_for_update(of=("self",)).filter(
        expert__user=user, status=PanelMember.Status.ACTIVE).select_related("expert").first()
    if member is None:
        raise RuleViolation("您不是该专家组的在组成员", field="member")
    return member


@transaction.atomic
def clear_conflicts(panel: Panel, *, by) -> PanelMember:
    """回避承诺: the expert states no conflict with any application they are shown."""
    panel = _lock_panel(panel)
    require(by, "panels.view_panel", panel)
    if panel.status != Panel.Status.DRAWN:
        raise RuleViolation("该专家组不在评审中", field="status")
    member = _member(panel, by)
    if member.cleared_at is None:
        member.cleared_at = timezone.now()
        member.save(update_fields=["cleared_at"])
        audit.record(by, "panel.clear_conflicts", panel, member=member.pk,
                     applications=list(panel.entries.values_list("application_id", flat=True)))
    return member


@transaction.atomic
def declare_conflict(application: Application, *, by, reason: str) -> PanelMember | None:
    """An expert declares a conflict (回避) on an application of their panel.

    The conflict is recorded and hides the application from them at once; they leave the
    panel (every application keeps an odd panel of the full size) and a replacement is drawn
    from the recorded pool with ``domain.drawing.replacement`` and a fresh committed seed,
    recorded for the replay. Returns the new member, or None when no eligible expert is left:
    the seat stays vacant until the officer fills it or closes it (``fill_vacancy``,
    ``close_vacancies``), and the panel cannot be finalised before.
    """
    require(by, "panels.review_application", application)
    reason = text.clean(Conflict, "reason", reason, required="申报回避须填写“回避事由”")
    panel = _lock_panel(application.panel_entry.panel)
    if panel.status != Panel.Status.DRAWN:
        raise RuleViolation("该专家组已定稿，不能再申报回避", field="status")
    member = _member(panel, by)
    Conflict.objects.create(expert=member.expert, application=application,
                            source=Conflict.Source.DECLARED, reason=reason)
    now = timezone.now()
    member.status, member.replaced_at = PanelMember.Status.REPLACED, now
    member.save(update_fields=["status", "replaced_at"])
    voided = ScoreSheet.objects.filter(member=member).update(status=ScoreSheet.Status.VOID)
    if panel.chair_id == member.expert_id:
        panel.chair = None
    exclude = _declared(panel)
    committed = _committed_seed(panel, by, "replace")
    step = {"kind": "replace", "conflicted": str(member.expert_id), "seat": member.seat,
            "application": application.pk, "reason": reason, "at": now.isoformat(),
            "exclude": exclude, **committed}
    current = _current(panel)
    new_member = None
    try:
        result = drawing.replacement(
            current, str(member.expert_id), pool_candidates(panel.pool_snapshot),
            expertise=panel.expertise, applicant_codes=_codes(panel), exclude=exclude,
            seed=committed["seed"])
    except drawing.DrawError as exc:
        result = drawing.vacate(current, str(member.expert_id))
        step["chosen"], step["failure"] = None, str(exc)
        enqueue(tasks.notify_vacancy, panel.pk)
    else:
        step["chosen"] = result.members[member.seat - 1]
        new_member = PanelMember.objects.create(panel=panel, expert_id=int(step["chosen"]),
                                                seat=member.seat)
        enqueue(tasks.notify_members, [new_member.pk])
    panel.replacements = [*panel.replacements, step]
    panel.drawn_members, panel.excluded = result.members, result.excluded
    panel.save()
    audit.record(by, "panel.declare_conflict", panel, application=application.pk,
                 expert=member.expert_id, reason=reason, voided_sheets=voided,
                 replacement=step["chosen"], failure=step.get("failure"),
                 seed=committed["seed"])
    return new_member


def _current(panel: Panel) -> drawing.Draw:
    return drawing.Draw(members=panel.drawn_members, excluded=panel.excluded, seed=panel.seed,
                        replacements=sum(1 for step in panel.replacements
                                         if step.get("kind", "replace") == "replace"
                                         and step["chosen"] is not None))


def _codes(panel: Panel) -> list[str]:
    return [a["code"] for a in panel.applicant_codes]


def _with_vacancy(panel: Panel, by) -> Panel:
    panel = _lock_panel(panel)
    require(by, "panels.manage_panel", panel)
    if panel.status != Panel.Status.DRAWN:
        raise RuleViolation("只有评审中的专家组可以补缺", field="status")
    if not panel.vacant_seats:
        raise RuleViolation("该专家组没有空缺席位", field="seats")
    return panel


@transaction.atomic
def fill_vacancy(panel: Panel, *, by, expertise: list[str]) -> PanelMember:
    """补缺: the officer draws for the first vacant seat from a wider field — the pool as it
    is now and ``expertise`` (the panel's fields and any more) — with a fresh committed
    seed; the pool, fields and seed go into the record for the replay."""
    panel = _with_vacancy(panel, by)
    unknown = [e for e in expertise if e not in EXPERTISE]
    if unknown or not set(panel.expertise) <= set(expertise):
        raise RuleViolation("补缺抽取的“专业领域”须包含本组原有的专业领域（"
                            + "、".join(panel.expertise) + "），可以增加，不能减少"
                            + (f"；未知：{'、'.join(unknown)}" if unknown else ""),
                            field="expertise")
    seat = panel.vacant_seats[0]
    snapshot, exclude = _snapshot(), _declared(panel)
    committed = _committed_seed(panel, by, "fill")
    try:
        result = drawing.fill(_current(panel), seat, pool_candidates(snapshot),
                              expertise=sorted(set(expertise)), applicant_codes=_codes(panel),
                              exclude=exclude, seed=committed["seed"])
    except drawing.DrawError as exc:
        raise RuleViolation(f"补缺抽取失败：{exc}。可再扩大专业领域，或在剩余人数为5人以上单数时"
                            "决定以现有人数定稿", field="expertise") from None
    chosen = result.members[seat - 1]
    now = timezone.now()
    panel.replacements = [*panel.replacements, {
        "kind": "fill", "seat": seat, "expertise": sorted(set(expertise)), "pool": snapshot,
        "exclude": exclude, "chosen": chosen, "at": now.isoformat(), "by": by.pk, **committed}]
    panel.drawn_members, panel.excluded = result.members, result.excluded
    panel.save()
    member = PanelMember.objects.create(panel=panel, expert_id=int(chosen), seat=seat)
    audit.record(by, "panel.fill_vacancy", panel, seat=seat, expertise=sorted(set(expertise)),
                 chosen=chosen, pool_size=len(snapshot), seed=committed["seed"])
    enqueue(tasks.notify_members, [member.pk])
    return member


@transaction.atomic
def close_vacancies(panel: Panel, *, by, reason: str) -> Panel:
    """The officer's documented decision to finalise with the members left, when they are an
    odd number of at least the guide's minimum (指南: 成立5人以上单数的专家组)."""
    panel = _with_vacancy(panel, by)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("以现有人数定稿须填写“决定理由”", field="reason")
    seats, remaining = panel.vacant_seats, panel.members_left
    if not panel.may_close_vacancies:
        raise RuleViolation(f"现有在组专家 {remaining} 人，不是{panel.spec.review.min_panel_size}"
                            "人以上单数，不能以现有人数定稿，须补缺抽取", field="seats")
    now = timezone.now()
    panel.replacements = [*panel.replacements, {
        "kind": "close", "seats": seats, "size_before": panel.size, "size_after": remaining,
        "reason": reason, "at": now.isoformat(), "by": by.pk}]
    size_before, panel.size = panel.size, remaining
    panel.save(update_fields=["replacements", "size"])
    audit.record(by, "panel.close_vacancies", panel, seats=seats, size_before=size_before,
                 size_after=remaining, reason=reason)
    return panel


# --- score sheets ----------------------------------------------------------------------------


def _entries(sheet: ScoreSheet) -> Entries:
    return Entries(scores=sheet.scores, comments=sheet.comments,
                   recommendation=sheet.recommendation, tier=sheet.tier, amount=sheet.amount,
                   site_visit=sheet.site_visit)


def _scoring_sheet(application: Application, by) -> tuple[Panel, ScoreSheet]:
    require(by, "panels.review_application", application)
    panel = _lock_panel(application.panel_entry.panel)
    if panel.status != Panel.Status.DRAWN:
        raise RuleViolation("该专家组不在评审中，不能评分", field="status")
    member = _member(panel, by)
    if member.cleared_at is None:
        raise RuleViolation("请先在专家组页面确认回避情况，再开始评分", field="member")
    sheet, _ = ScoreSheet.objects.select_for_update(of=("self",)).get_or_create(
        member=member, application=application, defaults={"panel": panel})
    return panel, sheet


def sheet_of(application: Application, user) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(application=application, member__expert__user=user,
                                     member__status=PanelMember.Status.ACTIVE).first()


@transaction.atomic
def save_sheet(application: Application, *, by, values: dict) -> tuple[ScoreSheet, list]:
    """Autosave: keep every value that obeys its rule, return the problems of the others.

    ``values``: any of ``scores`` (key → text), ``comments`` (key → text),
    ``recommendation`` (bool or None), ``tier``, ``amount``, ``site_visit``.
    """
    panel, sheet = _scoring_sheet(application, by)
    if sheet.status == ScoreSheet.Status.CONFIRMED:
        raise RuleViolation("评分表已确认并锁定；如需修改，须由组长填写理由后退回", field="status")
    spec = panel.sheet_spec
    scores = {**sheet.scores, **{k: str(v).strip() for k, v in
                                 values.get("scores", {}).items()}}
    comments = {**sheet.comments, **values.get("comments", {})}
    proposed = Entries(
        scores=scores, comments=comments,
        recommendation=values.get("recommendation", sheet.recommendation),
        tier=values.get("tier", sheet.tier), amount=values.get("amount", sheet.amount),
        site_visit=values.get("site_visit", sheet.site_visit) or "")
    problems = check(spec, proposed, final=False)
    bad = {p.field for p in problems}
    sheet.scores = {k: v for k, v in scores.items() if k not in bad and k in spec.score_keys}
    sheet.comments = {k: v for k, v in comments.items() if f"comment-{k}" not in bad}
    sheet.recommendation = proposed.recommendation
    for name in ("tier", "amount", "site_visit"):
        if name not in bad:
            setattr(sheet, name, getattr(proposed, name))
    sheet.saved_at = timezone.now()
    sheet.save()
    audit.record(by, "sheet.save", sheet, application=application.pk,
                 problems=[p.message for p in problems])
    return sheet, problems


@transaction.atomic
def confirm_sheet(application: Application, *, by) -> ScoreSheet:
    """The expert confirms the sheet: every rule of the final sheet met, then it is locked."""
    panel, sheet = _scoring_sheet(application, by)
    if sheet.status == ScoreSheet.Status.CONFIRMED:
        raise RuleViolation("评分表已确认，无须重复确认", field="status")
    spec = panel.sheet_spec
    problems = check(spec, _entries(sheet), final=True)
    if problems:
        raise RuleViolation("评分表尚不能确认：" + "；".join(p.message for p in problems),
                            problems=problems)
    sheet.total = total(spec, sheet.scores)
    sheet.status, sheet.confirmed_at = ScoreSheet.Status.CONFIRMED, timezone.now()
    sheet.save(update_fields=["total", "status", "confirmed_at"])
    audit.record(by, "sheet.confirm", sheet, application=application.pk, total=str(sheet.total),
                 scores=sheet.scores, recommendation=sheet.recommendation, tier=sheet.tier,
                 amount=sheet.amount)
    return sheet


@transaction.atomic
def reopen_sheet(sheet: ScoreSheet, *, by, reason: str) -> ScoreSheet:
    """The chair returns a confirmed sheet to its expert for a change, giving a reason."""
    sheet = ScoreSheet.objects.select_related("panel__chair", "application", "member").get(
        pk=sheet.pk)
    require(by, "panels.reopen_sheet", sheet)
    reason = text.clean_value(reason, limit=REOPEN_REASON_LIMIT, label="退回理由",
                              field="reason", required="退回修改须填写“退回理由”")
    panel = _lock_panel(sheet.panel)
    sheet = ScoreSheet.objects.select_for_update(of=("self",)).select_related("member").get(pk=sheet.pk)
    if panel.status != Panel.Status.DRAWN:
        raise RuleViolation("专家组已定稿，评分表不能再修改", field="status")
    if sheet.status != ScoreSheet.Status.CONFIRMED:
        raise RuleViolation("只有已确认的评分表需要退回修改", field="status")
    before = {"scores": sheet.scores, "total": str(sheet.total),
              "confirmed_at": sheet.confirmed_at.isoformat()}
    sheet.status, sheet.total, sheet.confirmed_at = ScoreSheet.Status.DRAFT, None, None
    sheet.reopened += 1
    sheet.save(update_fields=["status", "total", "confirmed_at", "reopened"])
    audit.record(by, "sheet.reopen", sheet, reason=reason, before=before,
                 application=sheet.application_id, expert=sheet.member.expert_id)
    return sheet


# --- finalising ----------------------------------------------------------------------------


@transaction.atomic
def finalise(panel: Panel, *, by) -> Panel:
    """The chair finalises: every sheet confirmed; write each application's review result and
    move it to ``reviewed``."""
    panel = _lock_panel(panel)
    require(by, "panels.finalise_panel", panel)
    if panel.status != Panel.Status.DRAWN:
        raise RuleViolation("该专家组不在评审中，不能定稿", field="status")
    if panel.vacant_seats:
        raise RuleViolation(f"专家组有 {len(panel.vacant_seats)} 个空缺席位，须由经办人员补缺抽取，"
                            "或决定以现有人数（5人以上单数）定稿后，方可定稿", field="members")
    outcome = results.compute(panel)
    missing = [row.application.number or str(row.application.pk)
               for row in outcome.rows if not row.complete]
    if missing:
        raise RuleViolation(f"以下申请尚有专家未确认评分表，不能定稿：{'、'.join(missing)}",
                            field="sheets")
    for row in outcome.rows:
        application = Application.objects.select_for_update(of=("self",)).get(pk=row.application.pk)
        decision = row.decision
        application.review_score = row.aggregate.result
        application.review_recommended = decision.recommended
        application.review_tier = decision.tier
        application.review_amount = decision.amount
        application.save(update_fields=["review_score", "review_recommended", "review_tier",
                                        "review_amount", "updated_at"])
        transition(application, State.REVIEWED, by=by,
                   note=f"专家组评审得分 {row.aggregate.result}，排名第 {row.rank} 名")
        row.entry.result = {
            "score": str(row.aggregate.result), "mean": str(row.aggregate.mean),
            "median": str(row.aggregate.median), "spread": str(row.aggregate.spread),
            "rank": row.rank, "recommended": decision.recommended, "tier": decision.tier,
            "amount": decision.amount, "reasons": list(decision.reasons),
            "outliers": sorted(row.outliers)}
        row.entry.save(update_fields=["result"])
    panel.status, panel.finalised_at = Panel.Status.FINALISED, timezone.now()
    panel.save(update_fields=["status", "finalised_at"])
    audit.record(by, "panel.finalise", panel, method=outcome.method,
                 ranking=[[r.application.pk, str(r.aggregate.result), r.rank]
                          for r in outcome.rows])
    return panel
