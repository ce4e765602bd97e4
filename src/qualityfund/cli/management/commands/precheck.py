"""``qualityfund precheck FILE [--material KEY]``: the automatic material checks on one file.

Prints a JSON list of findings ``{"check", "status", "page", "message"}`` and exits 0 when
the checks ran, whatever they found. ``--material`` picks the material's checks from the
current guide (``pledge`` looks for the seal at （单位盖章）); without it, generic checks.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from qualityfund.core.applications.inspection import inspection_spec
from qualityfund.domain.guide import GUIDE_2025, load_guide
from qualityfund.domain.inspection import InspectionSpec, precheck_json


def current_guide_spec():
    """The newest loaded guide, or the packaged 2025 guide when none is loaded."""
    from qualityfund.core.guides.models import Guide

    try:
        guide = Guide.objects.filter(is_demo=False).order_by("-year").first()
    except DatabaseError:
        guide = None
    return guide.spec if guide else load_guide(GUIDE_2025)


class Command(BaseCommand):
    help = "对单个文件运行申报材料自动检查（可读性、方向、公章、清晰度、字数、章节），输出JSON。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--material",
                            help="材料标识（如 pledge、report），按指南对该材料的要求检查")
        parser.add_argument("--subprogramme", help="材料标识在多个子项目中含义不同时，指定子项目")

    def handle(self, *args, file, material=None, subprogramme=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        spec = InspectionSpec()
        if material:
            spec = self._spec(material, subprogramme)
        self.stdout.write(precheck_json(str(path), spec))

    def _spec(self, key: str, subprogramme: str | None) -> InspectionSpec:
        guide = current_guide_spec()
        subs = [s for s in guide.subprogrammes if not subprogramme or s.key == subprogramme]
        found = [(s, m) for s in subs for m in s.materials if m.key == key and not m.generated]
        if not found:
            known = sorted({m.key for s in subs for m in s.materials if not m.generated})
            raise CommandError(f"指南中没有材料“{key}”，可选：{'、'.join(known)}")
        specs = {inspection_spec(guide, m) for _, m in found}
        if len(specs) > 1:
            names = "、".join(s.key for s, _ in found)
            raise CommandError(f"材料“{key}”在子项目 {names} 中要求不同，请用 --subprogramme 指定")
        return specs.pop()
