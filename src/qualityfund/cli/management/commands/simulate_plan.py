"""``qualityfund simulate_plan FILE``: the funding-plan engine on a JSON file (``-``: stdin).

Prints one JSON object and exits 0. Malformed input: exit 2, nothing on standard output, and
a message on standard error naming the field. The rules are the guide file's (``--guide``,
by default the shipped 2025 guide), so a new year's guide needs no code change.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualityfund.core.funding.engine import guide_rules
from qualityfund.domain.guide import GUIDE_2025, GuideError, load_guide
from qualityfund.domain.plan import PlanInputError, simulate


class Command(BaseCommand):
    help = "按申报指南的规则测算拟资助方案：输入JSON文件（- 为标准输入），输出一个JSON对象。"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON文件路径，或 - 表示标准输入")
        parser.add_argument("--guide", default=str(GUIDE_2025), help="申报指南数据文件")

    def handle(self, *args, file, guide, **options):
        try:
            rules = guide_rules(load_guide(guide))
        except (GuideError, OSError) as exc:
            raise CommandError(f"guide：无法读取申报指南 {guide}（{exc}）", returncode=2) from None
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"FILE：无法读取 {file}（{exc}）", returncode=2) from None
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"FILE：不是有效的JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）",
                               returncode=2) from None
        try:
            result = simulate(payload, rules)
        except PlanInputError as exc:
            raise CommandError(exc.args[0], returncode=2) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False))
