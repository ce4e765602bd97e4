"""``qualityfund verify_audit``: seal the audit records not yet linked, verify the whole
chain, and name the first broken record (exit 1). The result shows on the audit page."""

from django.core.management.base import BaseCommand, CommandError

from qualityfund.core.common.chain import run_verification


class Command(BaseCommand):
    help = "核验审计链：逐条重算摘要与哈希，指出第一处断裂（断裂时退出码非零）。"

    def handle(self, *args, **options):
        result = run_verification()
        if not result.ok:
            raise CommandError(f"审计链断裂：{result.problem}")
        self.stdout.write(f"审计链完整：核验 {result.checked} 条记录，链头第 {result.head_seq} 环 "
                          f"{result.head_hash}")
