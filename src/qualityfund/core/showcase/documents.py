"""Small real PDFs for the showcase's materials: text-layer pages set in Noto CJK by
WeasyPrint, each signed where the guide asks and stamped with the organisation's red seal.

Made the way an applicant's word processor would export them, so the material checks read
the text layer (no OCR) and find the seal, the upright pages and the template's headings.
三（…）: "上述申报材料须在落款处加盖公章".
"""

import base64
import html
import io
import math
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont
from weasyprint import HTML

from qualityfund.core.documents import fonts

SEAL_MM = 40
PLEDGE_MARKER = "（单位盖章）"
REPORT_MARKER = "申报单位（盖章）"


@dataclass(frozen=True)
class Section:
    """One page: a title, paragraphs, and the signature lines set flush right (落款)."""

    title: str
    paragraphs: tuple[str, ...]
    signature: tuple[str, ...] = ()
    subtitle: str = ""


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts.cjk_font_path(fonts.SANS)), size)


@cache
def seal_png(name: str, diameter: int = 360) -> bytes:
    """A round red seal: rim, ``name`` along the upper arc, a five-pointed star."""
    seal = Image.new("RGBA", (diameter, diameter), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    red = (205, 28, 36, 235)
    rim = diameter // 26
    draw.ellipse((rim // 2, rim // 2, diameter - rim // 2 - 1, diameter - rim // 2 - 1),
                 outline=red, width=rim)
    centre = diameter / 2
    star = []
    for k in range(10):
        radius = diameter * (0.13 if k % 2 == 0 else 0.052)
        phi = -math.pi / 2 + k * math.pi / 5
        star.append((centre + radius * math.cos(phi), centre + radius * math.sin(phi)))
    draw.polygon(star, fill=red)
    glyph = int(diameter * 0.1)
    span = math.radians(250)
    for index, char in enumerate(name):
        phi = math.radians(215) - span * (index + 0.5) / len(name)
        radius = centre - rim * 1.6 - glyph * 0.55
        tile = Image.new("RGBA", (glyph * 2, glyph * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((glyph, glyph), char, font=_font(glyph), fill=red, anchor="mm")
        tile = tile.rotate(math.degrees(phi) - 90, resample=Image.Resampling.BICUBIC)
        seal.alpha_composite(tile, (int(centre + radius * math.cos(phi) - glyph),
                                    int(centre - radius * math.sin(phi) - glyph)))
    buffer = io.BytesIO()
    seal.save(buffer, "PNG")
    return buffer.getvalue()


def render(sections: list[Section], seal_name: str) -> bytes:
    """A PDF with one page per section, the seal stamped over each section's 落款."""
    fonts.require_cjk_fonts()
    seal = base64.b64encode(seal_png(seal_name)).decode()
    pages = []
    for section in sections:
        parts = [f"<h1>{html.escape(section.title)}</h1>"]
        if section.subtitle:
            parts.append(f'<p class="sub">{html.escape(section.subtitle)}</p>')
        parts += [f"<p>{html.escape(p)}</p>" for p in section.paragraphs]
        if section.signature:
            lines = "".join(f"<p>{html.escape(line)}</p>" for line in section.signature)
            parts.append(f'<div class="sign">{lines}'
                         f'<img class="seal" src="data:image/png;base64,{seal}"></div>')
        pages.append(f"<section>{''.join(parts)}</section>")
    document = f"""<html lang="zh-CN"><head><style>
      @page {{ size: A4; margin: 25mm 25mm 22mm 25mm; }}
      body {{ font-family: "{fonts.SANS}"; font-size: 12pt; line-height: 1.65; }}
      h1 {{ font-size: 17pt; text-align: center; margin: 0 0 10pt 0; }}
      p {{ margin: 0 0 5pt 0; text-indent: 2em; }}
      p.sub {{ text-align: center; text-indent: 0; }}
      section + section {{ page-break-before: always; }}
      .sign {{ position: relative; margin-top: 18pt; text-align: right; }}
      .sign p {{ text-indent: 0; }}
      .seal {{ position: absolute; right: 6mm; top: 0; width: {SEAL_MM}mm; }}
    </style></head><body>{''.join(pages)}</body></html>"""
    return HTML(string=document).write_pdf(font_config=fonts.font_config())


def pledge(organisation_name: str, day: str) -> bytes:
    """附件1 承诺书: 廉洁承诺书 and 合规承诺书, each sealed at （单位盖章）."""
    signature = ("法定代表人签名：", f"承诺日期：{day}", PLEDGE_MARKER)
    return render([
        Section("廉洁承诺书", subtitle="（适用申领单位）", paragraphs=(
            (f"本单位（{organisation_name}）法定代表人、董事、主要股东、实际控制人及工作人员在专项"
            "资金申领、使用过程中，将严格遵守法律法规，确保专项资金安全、合理使用，并郑重承诺："),
            ("遵守专项资金申领、使用各项程序规定，如实提供申领材料，按要求开展项目建设，自觉接受"
            "项目评审和检查；不为争取本单位利益或个人利益说情打招呼；不利用有偿中介机构违规申报"
            "项目；不向公职人员赠送有可能影响公正执行公务的现金、购物卡、有价证券、股权及其他财物；"
            "不为公职人员组织有可能影响公正执行公务的宴请、娱乐、旅游、健身等活动。"),
            ("如违反上述承诺，自愿接受从严从重惩戒，相关责任由本单位承担；造成经济损失的，本单位"
            "同意予以赔偿。")), signature=signature),
        Section("合规承诺书", paragraphs=(
            ("本单位承诺遵守《深圳市市场监督管理局质量品牌领域专项资金操作规程》以及填表说明等"
            "相关文件规定，并自愿作出以下声明："),
            ("1.我单位对提交的申报材料准确性、完整性和真实性负责，按要求配合市市场监管局、财政"
            "部门和受委托的第三方机构完成相关项目绩效评价、统计、监督、检查工作；"),
            "2.我单位自行申报，无第三方代理；",
            "3.申报项目所涉知识产权明晰无争议，不存在知识产权失信违法行为；",
            "4.资助有总额或数量限制，受年度财政资金预算控制，我单位已知悉并同意；",
            "5.我单位承诺无不予资助情形。特此承诺。"), signature=signature),
    ], organisation_name)


def report(title: str, project_name: str, organisation_name: str, headings: list[str],
           paragraphs: list[str], day: str) -> bytes:
    """A report on the template's dimensions, one paragraph each, sealed at its 落款."""
    body = []
    for number, (heading, text) in enumerate(zip(headings, paragraphs, strict=True), start=1):
        body += [f"{_chinese_number(number)}、{heading}", text]
    return render([Section(title, subtitle=f"项目名称：{project_name}", paragraphs=tuple(body),
                           signature=(f"{REPORT_MARKER}：{organisation_name}", f"日期：{day}"))],
                  organisation_name)


def sealed_page(title: str, lines: list[str], organisation_name: str, day: str,
                seal_name: str | None = None) -> bytes:
    """One page (evidence list, certificate, input-output estimate) sealed at the end."""
    return render([Section(title, paragraphs=tuple(lines),
                           signature=(organisation_name, day))], seal_name or organisation_name)


def _chinese_number(n: int) -> str:
    return "一二三四五六七八九十"[n - 1]
