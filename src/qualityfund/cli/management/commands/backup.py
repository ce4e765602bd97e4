"""``qualityfund backup DIR``: the database and every stored file, with SHA-256 sums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from qualityfund.core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("将数据库（全部数据表，取自同一时刻的快照）和全部存储文件备份到一个新目录，"
            "并写入含每个文件 SHA-256 的清单 manifest.json。")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录（不存在或为空）")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名")

    def handle(self, *args, directory, database, **options):
        try:
            summary = backup(Path(directory), using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for name in summary["missing_files"]:
            self.stderr.write(self.style.WARNING(f"数据库记录引用的文件在存储中不存在：{name}"))
        self.stdout.write(self.style.SUCCESS(
            f"已备份 {summary['tables']} 张数据表共 {summary['rows']} 行、"
            f"{summary['files']} 个文件到 {directory}"))
