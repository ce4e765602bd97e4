"""``qualityfund seed_experts``: a demo expert pool (专家库) with logins for the panel pages."""

from django.core.management.base import BaseCommand

from qualityfund.core.accounts.demo import DEMO_PASSWORD
from qualityfund.core.panels.demo import create_demo_experts


class Command(BaseCommand):
    help = "创建演示专家库（登录名 expert01 起），用于专家组抽取与评分演示；重复运行不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=30, help="专家人数（默认 30）")

    def handle(self, *args, count, **options):
        experts = create_demo_experts(count)
        self.stdout.write(self.style.SUCCESS(
            f"演示专家库：{len(experts)} 人，登录名 expert01–expert{count:02d}，密码均为 {DEMO_PASSWORD}"))
        for expert in experts[:5]:
            self.stdout.write(f"  {expert.user.username:<10} {expert.name} · {expert.employer_name}"
                              f" · {'、'.join(expert.expertise)}")
