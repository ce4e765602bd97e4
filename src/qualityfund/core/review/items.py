"""What an officer may ask to supplement, and what changed since the request.

Items are keyed ``material:<key>``, ``field:<name>`` and ``figure:<key>`` so that one list
covers the uploaded materials, the common form fields and the sub-programme's figures.
"""

from dataclasses import dataclass

from qualityfund.core.applications.models import Application, MaterialFile
from qualityfund.core.applications.services import COMMON_FIELDS


@dataclass(frozen=True)
class ItemChoice:
    key: str
    label: str
    group: str


def field_label(name: str) -> str:
    return str(Application._meta.get_field(name).verbose_name)


def item_choices(application: Application) -> list[ItemChoice]:
    """Every item of ``application`` that a supplementation request may name."""
    spec = application.spec
    choices = [ItemChoice(f"material:{m.key}", f"{m.number}{m.title}", "申报材料")
               for m in spec.materials if not m.generated]
    choices += [ItemChoice(f"field:{name}", field_label(name), "项目基本信息")
                for name in COMMON_FIELDS
                if name != "requested_amount" or spec.funding.cap is not None]
    choices += [ItemChoice(f"figure:{f.key}", f.label + (f"（{f.unit}）" if f.unit else ""),
                           "专项申报指标") for f in spec.figures]
    return choices


def _text(value) -> str:
    return "" if value is None else str(value)


def snapshot(application: Application) -> dict:
    """Form data and current file ids, as plain JSON."""
    files: dict[str, list[int]] = {}
    for key, pk in application.material_files.current().values_list("material_key", "pk"):
        files.setdefault(key, []).append(pk)
    return {
        "fields": {name: _text(getattr(application, name)) for name in COMMON_FIELDS},
        "figures": {k: _text(v) for k, v in application.figures.items()},
        "files": files,
    }


def changes_since(application: Application, before: dict, files=None) -> dict:
    """What differs from ``before`` (a :func:`snapshot`): fields, figures, files.

    ``files`` are the application's current files when the caller already has them.
    """
    now = snapshot(application)
    labels = {c.key: c.label for c in item_choices(application)}
    fields = [
        {"key": f"field:{name}", "label": labels.get(f"field:{name}", name),
         "before": before["fields"].get(name, ""), "after": value}
        for name, value in now["fields"].items() if before["fields"].get(name, "") != value
    ]
    figure_keys = sorted(set(before["figures"]) | set(now["figures"]))
    figures = [
        {"key": f"figure:{key}", "label": labels.get(f"figure:{key}", key),
         "before": before["figures"].get(key, ""), "after": now["figures"].get(key, "")}
        for key in figure_keys if before["figures"].get(key, "") != now["figures"].get(key, "")
    ]
    if files is None:
        files = list(application.material_files.current())
    old_ids = {pk for ids in before["files"].values() for pk in ids}
    added = [f for f in files if f.pk not in old_ids]
    gone = old_ids - {f.pk for f in files}
    names = dict(MaterialFile.objects.filter(pk__in=gone).values_list("pk", "original_name"))
    replaced = {f.replaces_id for f in added}
    removed = [{"key": f"material:{key}", "label": labels.get(f"material:{key}", key),
                "file": pk, "name": names.get(pk, "")}
               for key, ids in before["files"].items() for pk in ids
               if pk in gone and pk not in replaced]
    return {
        "fields": fields + figures,
        "files": [{"key": f"material:{f.material_key}",
                   "label": labels.get(f"material:{f.material_key}", f.material_key),
                   "file": f.pk, "name": f.original_name, "sha256": f.sha256,
                   "replaces": f.replaces_id, "replaces_name": names.get(f.replaces_id, "")}
                  for f in added],
        "removed_files": removed,
    }


def changed_keys(diff: dict) -> set[str]:
    return {row["key"] for part in ("fields", "files", "removed_files") for row in diff[part]}
