"""Money in whole yuan: display as 万元, with thousands separators, and in 大写.

Amounts are ``int`` yuan or ``Decimal``; a ``float`` is refused everywhere, because a
binary fraction cannot hold a fen exactly.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

import cn2an

CENT = Decimal("0.01")
WAN = 10_000
YI = 100_000_000
# Upper-case amounts of 一万亿 and more use forms (万亿) that the formal documents never need.
UPPER_CASE_LIMIT = 10**12


def _decimal(yuan: int | Decimal) -> Decimal:
    if isinstance(yuan, bool) or not isinstance(yuan, int | Decimal):
        raise TypeError(f"金额应为整数或Decimal，不接受{type(yuan).__name__}")
    amount = Decimal(yuan)
    if not amount.is_finite():
        raise ValueError("金额应为有限数值")
    return amount


def to_wan(yuan: int | Decimal) -> str:
    """Yuan as 万元 with two decimals, rounded half up: 200000 → "20.00"."""
    return str((_decimal(yuan) / WAN).quantize(CENT, rounding=ROUND_HALF_UP))


def to_wan_plain(yuan: int | Decimal) -> str:
    """Yuan as 万元 without trailing zeros, for sentences: 200000 → "20", 185000 → "18.5"."""
    wan = _decimal(yuan) / WAN
    text = f"{wan:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_yuan(yuan: int | Decimal) -> str:
    """Yuan with thousands separators and two decimals: 200000 → "200,000.00"."""
    return f"{_decimal(yuan).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def upper_case(yuan: int | Decimal) -> str:
    """人民币大写 per the People's Bank rules for notes and vouchers: 贰拾万元整, 壹佰元伍角叁分.

    ``cn2an``'s "rmb" mode writes the standard form except one case: it drops the 零
    between 亿 and a thousands digit when the 万 group is empty (壹亿壹仟元 for
    100,001,000), which reads as a different amount; that 零 is restored here.
    """
    amount = _decimal(yuan)
    if amount < 0:
        raise ValueError("大写金额不能为负数")
    if amount != amount.quantize(CENT):
        raise ValueError("大写金额最多精确到分")
    if amount >= UPPER_CASE_LIMIT:
        raise ValueError("大写金额应小于一万亿元")
    text = cn2an.an2cn(f"{amount.quantize(CENT):f}", "rmb")
    whole = int(amount)
    if whole >= YI and (whole // WAN) % WAN == 0 and whole % WAN >= 1000:
        text = text.replace("亿", "亿零", 1)
    return text


_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?")
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def parse_yuan(raw: str | int) -> int:
    """Whole yuan from what people type: "200000", "200,000", "20万", "20万元", "￥200,000".

    Raises ValueError with a Chinese message for text that is not a whole, non-negative
    amount, and TypeError for a value that is neither text nor an integer.
    """
    if isinstance(raw, int) and not isinstance(raw, bool):
        text = str(raw)
    elif isinstance(raw, str):
        text = "".join(unicodedata.normalize("NFKC", raw).split())
    else:
        raise TypeError(f"金额应为文本或整数，不接受{type(raw).__name__}")
    text = text.removeprefix("人民币").removeprefix("¥")
    text = text.removesuffix("元")
    multiplier = 1
    if text.endswith("万"):
        text, multiplier = text[:-1], WAN
    if not text:
        raise ValueError("金额不能为空")
    if text.startswith("-"):
        raise ValueError("金额不能为负数")
    if not (_PLAIN.fullmatch(text) or _GROUPED.fullmatch(text)):
        raise ValueError(f"金额“{raw}”无法识别，应为数字，如 200000、200,000 或 20万")
    amount = Decimal(text.replace(",", "")) * multiplier
    if amount != amount.to_integral_value():
        raise ValueError(f"金额“{raw}”应为整数元")
    return int(amount)
