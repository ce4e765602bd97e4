"""``qualityfund check_guide FILE``: validate a guide file; exit 0 or name every problem."""

from django.core.management.base import BaseCommand, CommandError

from qualityfund.domain.guide import check_guide


class Command(BaseCommand):
    help = "校验申报指南数据文件：无问题时退出码为0，否则逐条列出文件、位置和原因。"
    requires_system_checks = []  # validates a file; needs neither the database nor the apps

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        problems = check_guide(file)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{file}：发现 {len(problems)} 个问题", returncode=1)
        self.stdout.write(f"{file}：校验通过")
