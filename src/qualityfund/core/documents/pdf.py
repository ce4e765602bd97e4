"""HTML templates to PDF with WeasyPrint, with the CJK fonts checked first.

The package is not a Django app: its templates are loaded by an engine of its own, so they
cannot be shadowed by, or shadow, the web layer's templates.
"""

from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Engine
from weasyprint import HTML

from . import fonts

TIME_ZONE = ZoneInfo("Asia/Shanghai")
FONTS = {"serif": fonts.SERIF, "sans": fonts.SANS, "mono": fonts.MONO}


@cache
def engine() -> Engine:
    return Engine(dirs=[Path(__file__).parent / "templates"], autoescape=True)


def render_pdf(template_name: str, context: dict) -> bytes:
    fonts.require_cjk_fonts()
    html = engine().get_template(template_name).render(Context({**context, "fonts": FONTS}))
    return HTML(string=html).write_pdf(font_config=fonts.font_config())


def local_time(moment: datetime) -> str:
    """An instant as Shanghai wall time to the second, as the form prints it."""
    return moment.astimezone(TIME_ZONE).strftime("%Y-%m-%d %H:%M:%S")
