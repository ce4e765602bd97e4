"""``qualityfund restore DIR``: a backup, checked against its SHA-256 sums, into an empty
database (just migrated) and an empty file store."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from qualityfund.core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("校验备份目录中每个文件的 SHA-256 后，将其恢复到空数据库（已执行 migrate）"
            "和空的文件存储；数据库或存储中已有数据时拒绝恢复。")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="qualityfund backup 生成的备份目录")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名")

    def handle(self, *args, directory, database, **options):
        try:
            summary = restore(Path(directory), using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"已恢复 {summary['tables']} 张数据表共 {summary['rows']} 行、"
            f"{summary['files']} 个文件"))
