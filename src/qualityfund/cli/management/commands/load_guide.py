"""``qualityfund load_guide FILE [--slug S]``: validate and load (or reload) a guide."""

from django.core.management.base import BaseCommand, CommandError

from qualityfund.core.guides.services import load_guide
from qualityfund.domain.guide import GuideError


class Command(BaseCommand):
    help = "校验并加载申报指南数据文件（同一标识再次加载时更新）。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", help="指南标识，默认为年度，如 2025")

    def handle(self, *args, file, slug=None, **options):
        try:
            guide = load_guide(file, slug=slug)
        except GuideError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{file}：指南数据有误，未加载", returncode=1) from exc
        self.stdout.write(f"已加载：{guide.title}（{guide.slug}）")
