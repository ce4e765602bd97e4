"""``qualityfund seed_demo``: demo accounts for every role and an open demo copy of the guide."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from qualityfund.core.accounts.demo import DEMO_PASSWORD, create_demo_accounts
from qualityfund.core.guides.models import Guide
from qualityfund.core.guides.services import open_demo_copy


class Command(BaseCommand):
    help = "创建各角色演示账号，并开放一份申报时间为当前的演示指南副本（正式指南时间不变）。"

    def add_arguments(self, parser):
        parser.add_argument("--guide", default="2025", help="演示副本所依据的指南标识")

    def handle(self, *args, guide, **options):
        try:
            source = Guide.objects.get(slug=guide, is_demo=False)
        except Guide.DoesNotExist as exc:
            raise CommandError(f"未找到指南“{guide}”：请先运行 qualityfund load_guide") from exc
        demo = open_demo_copy(source)
        users = create_demo_accounts()
        self.stdout.write(self.style.SUCCESS(
            f"演示指南：{demo}，申报时间 {localtime(demo.opens_at):%Y-%m-%d %H:%M} 至 "
            f"{localtime(demo.closes_at):%Y-%m-%d %H:%M}（正式指南“{source}”时间不变）"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for user in users:
            org = f" · {user.organisation.name}" if user.organisation else ""
            self.stdout.write(f"  {user.username:<12} {user.get_role_display()}{org}")
