"""``qualityfund seed_showcase``: a year in progress in the demo guide, work for every role."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from qualityfund.core.accounts.demo import DEMO_PASSWORD
from qualityfund.core.common.tasks import run_deferred
from qualityfund.core.guides.models import Guide
from qualityfund.core.showcase import build, summary


class Command(BaseCommand):
    help = ("在演示指南中生成一年的演示申请（经各环节的正式业务流程办理，留有时间线和审计记录），"
            "使各角色登录后都有待办；重复运行不会重复创建。")

    def add_arguments(self, parser):
        parser.add_argument("--guide", default="2025-demo", help="演示指南标识（seed_demo 创建）")

    def handle(self, *args, guide, **options):
        try:
            demo = Guide.objects.get(slug=guide, is_demo=True)
        except Guide.DoesNotExist as exc:
            raise CommandError(f"未找到演示指南“{guide}”：请先运行 qualityfund seed_demo") from exc
        started = time.monotonic()
        # The organisations are fictitious: notices stay in the platform (no e-mail or SMS),
        # and the material checks run here, after the data is committed, as a worker would.
        with override_settings(TASKS_MODE="deferred", NOTIFICATION_CHANNELS=[],
                               EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            try:
                created = build.build(demo)
            except build.ShowcaseError as exc:
                raise CommandError(str(exc)) from exc
            jobs = run_deferred()
        if created:
            self.stdout.write(self.style.SUCCESS(
                f"演示数据已生成：{demo}，用时 {time.monotonic() - started:.1f} 秒"
                f"（含 {jobs} 项后台任务：材料自动检查、通知）"))
        else:
            self.stdout.write("演示数据已存在，未重复创建。")
        counts = summary.state_counts(demo)
        self.stdout.write("各状态申请数：" + "，".join(
            f"{label} {counts[state]}" for state, label in summary.STATE_LABELS if counts[state]))
        self.stdout.write(f"各账号登录后可见（密码均为 {DEMO_PASSWORD}）：")
        for line in summary.lines(demo):
            self.stdout.write(f"  {line}")
