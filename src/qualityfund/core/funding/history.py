"""往年已资助项目: what was funded in earlier years, for the checks of a later year.

Two sources, read as one: projects imported for the years before the platform
(``EarlierProject``), and every application the platform itself funded (a final plan, 予以资助:
the states ``funded`` and ``disbursed``), which needs no import. They feed 同一项目仅资助1次
(三（一）2, 三（五）3), 首次 (三（七）2) and the duplicate check (二（五）, 七（七）5).
"""

from dataclasses import dataclass

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State

from .models import EarlierProject
from .similarity import app_key

FUNDED_STATES = (State.FUNDED, State.DISBURSED)


@dataclass(frozen=True)
class Funded:
    """One project funded in an earlier year."""

    year: int
    credit_code: str
    subprogramme: str
    project_name: str
    source: str


def funded_count() -> int:
    return Application.objects.filter(state__in=FUNDED_STATES).count()


def funded_before(year: int, codes) -> list[Funded]:
    """Projects of the organisations ``codes`` funded before ``year`` (two queries)."""
    imported = [Funded(e.year, e.credit_code, e.subprogramme, e.project_name,
                       e.source or "导入")
                for e in EarlierProject.objects.filter(credit_code__in=codes, year__lt=year)]
    platform = [Funded(year_, code, sub, name, "本平台资助计划")
                for year_, code, sub, name in Application.objects.filter(
                    state__in=FUNDED_STATES, guide__year__lt=year,
                    organisation__credit_code__in=codes).values_list(
                    "guide__year", "organisation__credit_code", "subprogramme", "project_name")]
    return imported + platform


def unfunded_earlier_keys(keys, year: int) -> set[str]:
    """Of the similarity documents ``keys``, the applications of another year that were not
    funded: re-applying after a refusal is no 重复申报 (one query)."""
    ids = [int(k[4:]) for k in keys if k.startswith("app-")]
    if not ids:
        return set()
    rows = Application.objects.filter(pk__in=ids).exclude(guide__year=year).exclude(
        state__in=FUNDED_STATES).values_list("pk", flat=True)
    return {app_key(pk) for pk in rows}


def funded_earlier_applications(application_ids, year: int) -> set[int]:
    """Of ``application_ids``, those of an earlier year that the platform funded."""
    return set(Application.objects.filter(pk__in=application_ids, guide__year__lt=year,
                                          state__in=FUNDED_STATES).values_list("pk", flat=True))
