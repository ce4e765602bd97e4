"""Replaying a panel's draw from its record alone, as an auditor does: the first draw, every
replacement, filled seat and closed one; and every seed checked against the hash the audit
trail holds from before the draw that used it. Reads only; changes nothing."""

from dataclasses import dataclass

from qualityfund.core.common.errors import RuleViolation
from qualityfund.core.common.models import AuditRecord
from qualityfund.domain import drawing

from .models import Panel
from .services import pool_candidates

# The records that reveal a seed after its draw.
REVEALING = ("panel.draw", "panel.declare_conflict", "panel.fill_vacancy")


@dataclass(frozen=True)
class SeedCheck:
    """One seed of the record: does it hash to what was recorded before it was used?

    ``holds`` and ``committed_first`` are None for a draw recorded before seeds were hashed.
    """

    purpose: str
    seed: str
    algorithm: str
    digest: str
    holds: bool | None
    committed_first: bool | None


@dataclass(frozen=True)
class Replay:
    members: list[str | None]
    excluded: dict[str, str]
    draw_matches: bool
    seeds: list[SeedCheck]

    @property
    def matches(self) -> bool:
        return self.draw_matches and all(
            check.holds is not False and check.committed_first is not False
            for check in self.seeds)


def replay(panel: Panel) -> Replay:
    """Re-run the draw and every later step from the record alone; compare with the panel,
    and check that each seed hashes to the digest the audit trail holds from before it."""
    if not panel.seed:
        raise RuleViolation("该专家组尚未抽取，无法复核", field="status")
    codes = [a["code"] for a in panel.applicant_codes]
    pool = pool_candidates(panel.pool_snapshot)
    result = drawing.draw_panel(pool, size=len(panel.drawn_members), expertise=panel.expertise,
                                applicant_codes=codes, seed=panel.seed,
                                exclude=panel.declared_before)
    seeds = [("draw", panel.seed, panel.seed_algorithm, panel.seed_hash)]
    try:
        for step in panel.replacements:
            result = _replay_step(result, step, pool, panel.expertise, codes)
            if step.get("seed_hash"):
                seeds.append((step["kind"], step["seed"], step["seed_algorithm"],
                              step["seed_hash"]))
    except drawing.DrawError:
        draw_matches = False
    else:
        draw_matches = (result.members == panel.drawn_members
                        and result.excluded == panel.excluded)
    return Replay(members=result.members, excluded=result.excluded, draw_matches=draw_matches,
                  seeds=_seed_checks(panel, seeds))


def _replay_step(result: drawing.Draw, step: dict, pool, expertise, codes) -> drawing.Draw:
    kind = step.get("kind", "replace")
    if kind == "replace":
        try:
            return drawing.replacement(result, step["conflicted"], pool, expertise=expertise,
                                       applicant_codes=codes, exclude=step["exclude"],
                                       seed=step.get("seed"))
        except drawing.DrawError:
            return drawing.vacate(result, step["conflicted"])
    if kind == "fill":
        return drawing.fill(result, step["seat"], pool_candidates(step["pool"]),
                            expertise=step["expertise"], applicant_codes=codes,
                            exclude=step["exclude"], seed=step["seed"])
    return result  # "close": a decision, no draw


def _seed_checks(panel: Panel, seeds) -> list[SeedCheck]:
    """Each seed against its hash, and whether the hash was on the audit trail first."""
    records = list(AuditRecord.objects.filter(
        object_type=panel._meta.label_lower, object_id=str(panel.pk),
        action__in=REVEALING + ("panel.draw_commit",)).order_by("id").values("action", "data"))
    checks = []
    for purpose, seed, algorithm, digest in seeds:
        if not digest:
            checks.append(SeedCheck(purpose, seed, "", "", None, None))
            continue
        committed = revealed = None
        for position, record in enumerate(records):
            if record["action"] == "panel.draw_commit" and record["data"].get(
                    "seed_hash") == digest and committed is None:
                committed = position
            if record["action"] in REVEALING and record["data"].get("seed") == seed:
                revealed = position
                break
        checks.append(SeedCheck(
            purpose, seed, algorithm, digest,
            holds=drawing.commitment_holds(seed, algorithm, digest),
            committed_first=committed is not None and revealed is not None
            and committed < revealed))
    return checks
