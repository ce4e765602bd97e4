"""``qualityfund archive_audit --before DATE --out FILE``: export the audit records older than
DATE (at least 180 days ago) to a signed file, check the file, and only then delete them."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qualityfund.core.common.archive import archive, public_key_path
from qualityfund.core.common.errors import RuleViolation


class Command(BaseCommand):
    help = "将早于指定日期（至少 180 天前）的审计记录导出为签名归档文件，核验后再从数据库删除。"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="归档截止日期（YYYY-MM-DD，不含当日）")
        parser.add_argument("--out", required=True, help="归档文件路径（不得已存在）")

    def handle(self, *args, before, out, **options):
        try:
            cutoff = date.fromisoformat(before)
        except ValueError as exc:
            raise CommandError(f"--before 不是有效的日期：{before}") from exc
        try:
            anchor = archive(cutoff, Path(out))
        except RuleViolation as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已归档 {anchor.count} 条审计记录至 {out}（至第 {anchor.seq} 环，"
                          f"末环哈希 {anchor.hash}）；核验签名所用公钥："
                          f"{public_key_path(Path(settings.AUDIT_SIGNING_KEY))}")
