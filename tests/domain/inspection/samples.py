"""Test files for material inspection, generated in code: no binary fixture is stored.

Every builder returns the file's bytes. Scans are drawn with Pillow (text set in the Noto CJK
font installed on the machine) and saved as image-only PDFs; text-layer PDFs come from
WeasyPrint; page rotation, encryption and page floods from pypdf. Other test suites (uploads,
the precheck command) may import these builders.
"""

import base64
import functools
import html
import io
import math
import random
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterable, Sequence

import numpy as np
import pypdf
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

A4_IN = (8.27, 11.69)
MARGIN_IN = 1.0
BODY_PT = 12
SEAL_MM = 42
SEAL_MARKER = "（单位盖章）"

PLEDGE_PAGES = (
    "廉洁承诺书\n（适用申领单位）\n"
    "本单位法定代表人、董事、主要股东、实际控制人及工作人员在专项资金申领、使用过程中，"
    "将严格遵守法律法规，确保专项资金安全、合理使用，并郑重承诺：\n"
    "遵守专项资金申领、使用各项程序规定，如实提供申领材料，按要求开展项目建设，自觉接受项目评审和检查；\n"
    "不为争取本单位利益或个人利益说情打招呼；\n"
    "不利用有偿中介机构违规申报项目；\n"
    "不向公职人员赠送有可能影响公正执行公务的现金、购物卡、有价证券、股权及其他财物；\n"
    "不为公职人员组织有可能影响公正执行公务的宴请、娱乐、旅游、健身等活动；\n"
    "不以申领为目的为公职人员提供借贷款或车辆和房屋使用让与；\n"
    "不向公职人员实施贿赂行为，不以申领为目的许诺事后给予公职人员利益。\n"
    "如违反上述承诺，自愿接受从严从重惩戒，相关责任由本单位承担；造成经济损失的，本单位同意予以赔偿。\n"
    "法定代表人签名：\n承诺日期：2025年6月20日\n" + SEAL_MARKER,
    "合规承诺书\n"
    "本单位承诺遵守《深圳市市场监督管理局质量品牌领域专项资金操作规程》以及填表说明等相关文件规定，"
    "并自愿作出以下声明：\n"
    "1.我单位对提交的申报材料准确性、完整性和真实性负责，按要求配合市市场监管局、财政部门和受委托的"
    "第三方机构完成相关项目绩效评价、统计、监督、检查工作及参加培训会议等活动；\n"
    "2.我单位自行申报，无第三方代理；\n"
    "3.申报项目所涉知识产权明晰无争议，归属或技术来源正当合法，不存在知识产权失信违法行为；\n"
    "4.资助有总额或数量限制，受年度财政资金预算控制，我单位已知悉并同意；\n"
    "5.我单位承诺无不予资助情形。\n"
    "特此承诺。\n"
    "法定代表人签名：\n承诺日期：2025年6月20日\n" + SEAL_MARKER,
)

REPORT_PAGE = (
    "质量基础设施优质服务子项目成果报告\n"
    "一、行动目标准确\n"
    "本项目面向战略性新兴产业和成长性中小微企业，提供计量、标准、检验检测认证一站式服务，"
    "服务事项、服务规范和服务承诺均已向社会明示。项目聚焦电子信息制造业的焊接可靠性和来料检验"
    "等共性质量问题，覆盖同类型企业和上下游企业共一百二十家。\n"
    "二、服务能力领先\n"
    "平台具备计量测试、标准化、检验检测认证、质量改进与评审、品牌咨询等服务能力，"
    "调度专业技术人员四十名、实验室面积三千平方米，建立了集聚各方资源的运营模式。\n"
    "三、服务质量保障\n"
    "项目制定了具体执行方案并明确目标责任，对服务企业逐一开展需求分析，记录质量问题改善"
    "与效果验证过程，服务对象满意度调查结果为百分之九十六。\n"
    "四、服务效能释放\n"
    "服务对象平均劳动生产率提高百分之八，质量损失减少百分之十五，项目经验通过工具化、"
    "标准化、流程化方式予以固化，输出典型案例五个，并在更多行业得到推广。\n"
    "申报单位（盖章）：\n日期：2025年6月20日"
)
SERVICE_HEADINGS = ("行动目标准确", "服务能力领先", "服务质量保障", "服务效能释放")
INCUBATION_HEADINGS = ("组织简介", "质量管理制度、模式或方法简介", "自评情况", "领导", "战略",
                       "顾客与市场", "人力资源", "创新、测量分析与改进", "运营和过程管理")
# Every character here is one 字 by the Word convention, so the count of a text built from
# it is its length.
FILLER = ("组织以卓越绩效评价准则为框架，持续推进质量管理体系建设，围绕顾客需求开展技术创新，"
          "建立覆盖研发、采购、生产、交付和服务的全过程质量管控机制，关键绩效指标逐年改善。")


@functools.cache
def cjk_font_path() -> str:
    """The Noto Sans CJK font file on this machine (package fonts-noto-cjk)."""
    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], check=True,
                          capture_output=True, text=True).stdout.strip()
    if "CJK" not in path:
        raise RuntimeError(f"Noto Sans CJK SC is not installed (fc-match gave {path!r})")
    return path


@functools.cache
def cjk_font(size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(cjk_font_path(), size_px)


def red_seal_image(diameter_px: int = 330, name: str = "深圳市示例质量科技有限公司",
                   seed: int = 7) -> Image.Image:
    """A round red company seal (RGBA): rim, the name along the upper arc, a star in the middle."""
    rng = random.Random(seed)
    size = diameter_px
    seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    red = (205, 28, 36, 235)
    rim = max(3, size // 26)
    draw.ellipse((rim // 2, rim // 2, size - rim // 2 - 1, size - rim // 2 - 1), outline=red,
                 width=rim)
    centre = size / 2
    star_r = size * 0.13
    points = []
    for k in range(10):
        radius = star_r if k % 2 == 0 else star_r * 0.4
        phi = -math.pi / 2 + k * math.pi / 5
        points.append((centre + radius * math.cos(phi), centre + radius * math.sin(phi)))
    draw.polygon(points, fill=red)
    glyph = max(8, int(size * 0.105))
    font = cjk_font(glyph)
    span = math.radians(250)
    for index, char in enumerate(name):
        phi = math.radians(215) - span * (index + 0.5) / len(name)   # left-bottom, over the top
        radius = centre - rim * 1.6 - glyph * 0.55
        tile = Image.new("RGBA", (glyph * 2, glyph * 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((glyph, glyph), char, font=font, fill=red, anchor="mm")
        tile = tile.rotate(math.degrees(phi) - 90, resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.cos(phi) - glyph
        y = centre - radius * math.sin(phi) - glyph
        seal.alpha_composite(tile, (int(x), int(y)))
    # Uneven ink: a stamp never prints solid.
    pixels = seal.load()
    for _ in range(size * size // 40):
        x, y = rng.randrange(size), rng.randrange(size)
        r, g, b, a = pixels[x, y]
        pixels[x, y] = (r, g, b, a // 3)
    return seal


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if font.getlength(line + char) > width:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


def text_page_image(text: str, dpi: int = 200, sealed: bool = False,
                    seal_marker: str = SEAL_MARKER) -> Image.Image:
    """An A4 portrait page with ``text`` set in 12 pt, as a white-paper RGB image.

    With ``sealed``, a red seal is stamped over the line holding ``seal_marker`` (落款处).
    """
    width, height = round(A4_IN[0] * dpi), round(A4_IN[1] * dpi)
    page = Image.new("RGB", (width, height), (250, 250, 248))
    draw = ImageDraw.Draw(page)
    font = cjk_font(round(BODY_PT / 72 * dpi))
    left = top = round(MARGIN_IN * dpi)
    line_height = round(BODY_PT / 72 * dpi * 1.7)
    marker_at = None
    y = top
    for line in _wrap(text, font, width - 2 * left):
        if y > height - top:
            break
        x = left
        if seal_marker and seal_marker in line:
            x = width - left - round(font.getlength(line))  # 落款 is set flush right
            marker_at = (x + font.getlength(line) / 2, y + line_height / 2)
        draw.text((x, y), line, font=font, fill=(20, 20, 20))
        y += line_height
    if sealed:
        if marker_at is None:
            raise ValueError("the page has no seal marker to stamp")
        stamp(page, red_seal_image(round(SEAL_MM / 25.4 * dpi)), marker_at)
    return page


def stamp(page: Image.Image, seal: Image.Image, centre: tuple[float, float]) -> None:
    """Print ``seal`` centred at ``centre``: ink multiplies, so text below stays legible."""
    ink = Image.new("RGB", seal.size, (255, 255, 255))
    ink.paste(seal, (0, 0), seal)
    box = (round(centre[0] - seal.width / 2), round(centre[1] - seal.height / 2))
    region = page.crop((*box, box[0] + seal.width, box[1] + seal.height))
    page.paste(ImageChops.multiply(region, ink), box)


def _scanned(page: Image.Image, seed: int, blur: float) -> Image.Image:
    """Scanner look: a faint skew, grain, optional blur."""
    rng = np.random.default_rng(seed)
    page = page.rotate(rng.uniform(-0.6, 0.6), resample=Image.Resampling.BICUBIC,
                       fillcolor=(250, 250, 248))
    pixels = np.asarray(page, dtype=np.int16)
    grain = rng.integers(-8, 4, size=pixels.shape[:2], dtype=np.int16)[..., None]
    page = Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8))
    return page.filter(ImageFilter.GaussianBlur(blur)) if blur else page


def images_to_pdf(images: Sequence[Image.Image], dpi: float) -> bytes:
    """An image-only PDF, one page per image, the page size following from ``dpi``."""
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=list(images[1:]),
                   resolution=dpi, quality=85)
    return buffer.getvalue()


def make_scanned_pdf(pages: Sequence[str], dpi: int = 200, turn: int = 0,
                     sealed_pages: Iterable[int] = (), blur: float = 0.0) -> bytes:
    """Scanned pages without a text layer.

    ``turn`` turns the content clockwise by 0, 90, 180 or 270 degrees, as when a sheet is
    fed upside down or sideways; a quarter turn makes a landscape page. ``sealed_pages``
    are 1-based numbers of pages stamped at their seal marker.
    """
    sealed = set(sealed_pages)
    transpose = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
                 270: Image.Transpose.ROTATE_90}
    images = []
    for number, text in enumerate(pages, start=1):
        image = _scanned(text_page_image(text, dpi, sealed=number in sealed), number, blur)
        images.append(image.transpose(transpose[turn]) if turn else image)
    return images_to_pdf(images, dpi)


def make_pdf_text(pages: Sequence[str], rotate: int = 0,
                  sealed_pages: Iterable[int] = ()) -> bytes:
    """A text-layer A4 PDF, each string starting a new page; ``rotate`` sets /Rotate on all.

    ``sealed_pages`` (1-based) get an electronic seal image over their last line (落款).
    """
    import weasyprint

    sealed = set(sealed_pages)
    seal = ""
    if sealed:
        buffer = io.BytesIO()
        red_seal_image(400).save(buffer, "PNG")
        seal = ('<img class="seal" src="data:image/png;base64,'
                + base64.b64encode(buffer.getvalue()).decode() + '">')
    body = "".join(
        '<section>' + "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
        + (seal if number in sealed else "") + "</section>"
        for number, text in enumerate(pages, start=1))
    document = f"""<html><head><style>
      @font-face {{ font-family: cjk; src: url('file://{cjk_font_path()}'); }}
      @page {{ size: A4; margin: 25mm; }}
      body {{ font-family: cjk; font-size: {BODY_PT}pt; line-height: 1.6; }}
      p {{ margin: 0 0 4pt 0; }}
      section + section {{ page-break-before: always; }}
      section p:last-of-type {{ text-align: right; }}
      .seal {{ width: {SEAL_MM}mm; float: right; margin-top: -25mm; margin-right: 5mm; }}
    </style></head><body>{body}</body></html>"""
    data = weasyprint.HTML(string=document).write_pdf()
    return rotate_pdf(data, rotate) if rotate else data


def rotate_pdf(data: bytes, rotate: int, pages: Iterable[int] | None = None) -> bytes:
    """Set /Rotate on the given 1-based pages (all by default)."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    wanted = set(pages) if pages is not None else None
    for number, page in enumerate(writer.pages, start=1):
        if wanted is None or number in wanted:
            page.rotate(rotate)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def sealed_pledge_pdf(dpi: int = 150) -> bytes:
    """The two-part pledge letter (附件1), scanned, each part stamped at （单位盖章）."""
    return make_scanned_pdf(PLEDGE_PAGES, dpi, sealed_pages=(1, 2))


def unsealed_pledge_pdf(dpi: int = 150) -> bytes:
    return make_scanned_pdf(PLEDGE_PAGES, dpi)


def half_sealed_pledge_pdf(dpi: int = 150) -> bytes:
    """Only the second part (合规承诺书) is stamped."""
    return make_scanned_pdf(PLEDGE_PAGES, dpi, sealed_pages=(2,))


def upside_down_scan_pdf(dpi: int = 150) -> bytes:
    """A report page fed upside down, behind an upright pledge page."""
    upright = make_scanned_pdf(PLEDGE_PAGES[:1], dpi)
    flipped = make_scanned_pdf([REPORT_PAGE], dpi, turn=180)
    return concatenate_pdfs(upright, flipped)


def sideways_scan_pdf(dpi: int = 150, turn: int = 90) -> bytes:
    """A report page scanned sideways (content turned a quarter, landscape page)."""
    return make_scanned_pdf([REPORT_PAGE], dpi, turn=turn)


def low_resolution_scan_pdf(dpi: int = 72) -> bytes:
    return make_scanned_pdf([REPORT_PAGE], dpi)


def blurred_scan_pdf(dpi: int = 150, blur: float = 2.5) -> bytes:
    return make_scanned_pdf([REPORT_PAGE], dpi, blur=blur)


def careless_pledge_pdf() -> bytes:
    """Everything wrong at once: scanned upside down, unsealed, at 96 dpi."""
    return make_scanned_pdf(PLEDGE_PAGES, 96, turn=180)


def electronically_sealed_pledge_pdf() -> bytes:
    """The pledge letter exported from a word processor, an electronic seal on each part."""
    return make_pdf_text(PLEDGE_PAGES, sealed_pages=(1, 2))


def concatenate_pdfs(*parts: bytes) -> bytes:
    writer = pypdf.PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def report_text(chars: int, headings: Sequence[str] = INCUBATION_HEADINGS) -> str:
    """Headings, one a line, then filler up to exactly ``chars`` 字 (Word convention)."""
    head = "\n".join(headings)
    remaining = chars - len(head.replace("\n", ""))
    if remaining < 0:
        raise ValueError("the headings alone are longer than the requested count")
    body = (FILLER * (remaining // len(FILLER) + 1))[:remaining]
    paragraphs = [body[start:start + 400] for start in range(0, len(body), 400)]
    return head + "\n" + "\n".join(paragraphs)


def long_report_pdf(chars: int, headings: Sequence[str] = INCUBATION_HEADINGS) -> bytes:
    """A text-layer 绩效自评报告 of exactly ``chars`` counted 字."""
    return make_pdf_text([report_text(chars, headings)])


def corrupt_pdf() -> bytes:
    """Starts like a PDF, then garbage: no objects, no cross-reference table."""
    rng = random.Random(3)
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(rng.randrange(256) for _ in range(4096))


def truncated_pdf() -> bytes:
    """A real PDF cut off in the middle, as after a broken upload."""
    data = make_pdf_text(["被截断的文件"])
    return data[: len(data) // 3]


def encrypted_pdf(password: str = "secret") -> bytes:
    """Opens only with a user password."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf_text(["加密的承诺书"])))
    writer.encrypt(user_password=password, owner_password=password + "-owner",
                   algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def restricted_pdf() -> bytes:
    """Opens without a password but carries an owner password (editing restricted)."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf_text(["限制编辑的文件"])))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def many_pages_pdf(pages: int = 5000) -> bytes:
    """Thousands of blank A4 pages, cheap to build and small on disk."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def empty_pdf() -> bytes:
    """A well-formed PDF whose page tree has no pages."""
    buffer = io.BytesIO()
    pypdf.PdfWriter().write(buffer)
    return buffer.getvalue()


def huge_image_pdf(side: int = 20000) -> bytes:
    """One page showing a ``side``×``side`` 1-bit image: 400 megapixels in 50 kilobytes."""
    from pypdf.generic import DictionaryObject, NameObject, NumberObject, StreamObject

    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(595, 842)
    compressor = zlib.compressobj(9)
    row = b"\xff" * ((side + 7) // 8)
    image = StreamObject()
    image._data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    image.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(side), NameObject("/Height"): NumberObject(side),
        NameObject("/ColorSpace"): NameObject("/DeviceGray"),
        NameObject("/BitsPerComponent"): NumberObject(1),
        NameObject("/Filter"): NameObject("/FlateDecode")})
    content = StreamObject()
    content._data = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})})
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def decompression_bomb_png(side: int = 20000) -> bytes:
    """A 1-bit ``side``×``side`` blank PNG: 400 megapixels in a few dozen kilobytes."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data)
            + _png_chunk(b"IEND", b""))


def png_page(text: str = REPORT_PAGE, dpi: int = 150, turn: int = 0) -> bytes:
    """A photographed/scanned page uploaded as a PNG image."""
    image = text_page_image(text, dpi)
    if turn:
        image = image.rotate(-turn, expand=True)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bytes(text: str) -> bytes:
    """A minimal Word document, one paragraph per line of ``text``."""
    paragraphs = "".join(f"<w:p><w:r><w:t>{html.escape(line)}</w:t></w:r></w:p>"
                         for line in text.split("\n"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml",
                         f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W_NS}><w:body>'
                         f"{paragraphs}</w:body></w:document>")
    return buffer.getvalue()


def zip_bomb_docx(megabytes: int = 64) -> bytes:
    """A .docx whose document part inflates ~1000:1 to ``megabytes`` MB."""
    paragraph = "<w:p><w:r><w:t>质量品牌</w:t></w:r></w:p>".encode()
    chunk = paragraph * (1024 * 1024 // len(paragraph))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<w:document {_W_NS}><w:body>'.encode())
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()
