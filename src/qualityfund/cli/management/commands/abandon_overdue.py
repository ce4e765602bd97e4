"""``qualityfund abandon_overdue [--now ISO]``: 视为放弃 the applications whose
supplementation deadline has passed (the same work as the periodic Celery task)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from qualityfund.core.review.services import abandon_overdue


class Command(BaseCommand):
    help = "将补正期限已过仍未补正的申请置为“视为放弃”（指南七（一））。"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="以该时间为当前时间（ISO 8601，带时区），用于补跑")

    def handle(self, *args, now=None, **options):
        at = None
        if now:
            try:
                at = datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now 不是有效的时间：{now}") from exc
            if timezone.is_naive(at):
                raise CommandError("--now 须带时区，例如 2025-10-14T09:00:00+08:00")
        abandoned = abandon_overdue(now=at)
        for application in abandoned:
            self.stdout.write(f"视为放弃：{application.number} {application.project_name}")
        self.stdout.write(f"共 {len(abandoned)} 件申请逾期未补正，已视为放弃申报")
