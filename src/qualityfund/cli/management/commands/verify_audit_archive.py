"""``qualityfund verify_audit_archive FILE [--public-key PEM]``: check an audit archive's
Ed25519 signature and the chain inside it (exit 1 when either fails)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualityfund.core.common.archive import check


class Command(BaseCommand):
    help = "核验审计归档文件的签名及其中的审计链。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--public-key", help="签名公钥（PEM）；默认为本服务器的公钥")

    def handle(self, *args, file, public_key=None, **options):
        result = check(Path(file), Path(public_key) if public_key else None)
        if result.problems:
            raise CommandError("归档文件核验未通过：" + "；".join(result.problems))
        self.stdout.write(f"归档文件核验通过：{result.count} 条记录（{result.before} 之前），"
                          f"末环第 {result.last_seq} 环 {result.last_hash}")
