"""``qualityfund issue_enrolment_code USERNAME``: an enrolment code (绑定码) for a member of
bureau staff, printed once; how the first administrator binds an authenticator when nobody
else can issue one on the admin pages."""

from django.core.management.base import BaseCommand, CommandError

from qualityfund.core.accounts import two_factor
from qualityfund.core.accounts.models import User
from qualityfund.core.common.errors import RuleViolation


class Command(BaseCommand):
    help = "为局内人员签发两步验证绑定码（只显示一次）。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="局内人员的登录名")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有登录名为 {username} 的账号")
        try:
            code = two_factor.issue_enrolment_code(user, by=None)
        except RuleViolation as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{username} 的绑定码：{code}（只显示这一次；一次有效）")
