"""What text a person may type: a length limit on every field, and names without invisible
characters.

A name decides money and is shown to the public (单位名称, 开户名, 项目名称, 异议人姓名): a
right-to-left override (U+202E) makes "深圳市甲公司" display as something else than it
compares as, a zero-width space (U+200B) makes two equal-looking names differ (指南 七（五）:
"账户注册主体、资助申请主体以及银行开户名三者名称必须一致"). Names therefore refuse every
control, format, private-use, unassigned and special blank character, naming the first one
found. Free text (简介、理由、异议内容) keeps line breaks and tabs, and refuses only the
control characters no keyboard types — a NUL would not even reach PostgreSQL.

Lengths are counted in characters (字), as a Chinese reader counts them.
"""

import unicodedata

# Characters named in the messages; any other is named by its Unicode category below.
NAMED = {
    0x0009: "制表符", 0x000A: "换行符", 0x000D: "回车符", 0x0000: "空字符",
    0x00A0: "不换行空格", 0x00AD: "软连字符", 0x034F: "组合字形连接符",
    0x061C: "阿拉伯字母标记", 0x115F: "韩文填充符", 0x1160: "韩文填充符",
    0x17B4: "高棉文不发音元音", 0x17B5: "高棉文不发音元音", 0x180E: "蒙古文元音分隔符",
    0x200B: "零宽空格", 0x200C: "零宽非连接符", 0x200D: "零宽连接符",
    0x200E: "从左至右标记", 0x200F: "从右至左标记",
    0x2028: "行分隔符", 0x2029: "段分隔符",
    0x202A: "从左至右嵌入", 0x202B: "从右至左嵌入", 0x202C: "嵌入结束",
    0x202D: "从左至右覆盖", 0x202E: "从右至左覆盖",
    0x2060: "词连接符", 0x2061: "不可见函数应用", 0x2062: "不可见乘号",
    0x2063: "不可见分隔符", 0x2064: "不可见加号",
    0x2066: "从左至右隔离", 0x2067: "从右至左隔离", 0x2068: "首强字符隔离",
    0x2069: "隔离结束", 0x3164: "韩文填充符", 0xFEFF: "零宽不换行空格（字节顺序标记）",
    0xFFA0: "半角韩文填充符",
}
CATEGORIES = {
    "Cc": "控制字符", "Cf": "格式控制字符", "Co": "私用区字符", "Cs": "代理码位",
    "Cn": "未分配的码位", "Zl": "行分隔符", "Zp": "段分隔符", "Zs": "特殊空白字符",
}
# Visible spaces a name may hold: the ordinary and the ideographic (full-width) one.
ORDINARY_SPACES = {" ", "\u3000"}
# Invisible although their category is a letter or a mark: fillers and variation selectors.
INVISIBLE_MARKS = ({0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
                   | set(range(0xFE00, 0xFE10)) | set(range(0xE0100, 0xE01F0)))
# What free text keeps of the control characters: the ones a keyboard types.
TYPED_CONTROLS = {"\t", "\n", "\r"}


class TextError(ValueError):
    """A Chinese sentence naming the field and the rule it broke."""


def describe(char: str) -> str:
    """``U+202E（从右至左覆盖）`` — the code point and what it is, in Chinese."""
    code = ord(char)
    what = NAMED.get(code) or CATEGORIES.get(unicodedata.category(char)) or "不可见字符"
    if code in range(0xFE00, 0xFE10) or code in range(0xE0100, 0xE01F0):
        what = "变体选择符"
    return f"U+{code:04X}（{what}）"


def is_invisible(char: str) -> bool:
    """True for what a name must not hold: nothing a reader sees, or a blank that is not
    an ordinary space."""
    if char in ORDINARY_SPACES:
        return False
    category = unicodedata.category(char)
    return category in CATEGORIES or ord(char) in INVISIBLE_MARKS


def first_invisible(value: str) -> str | None:
    return next((c for c in value if is_invisible(c)), None)


def first_untyped_control(value: str) -> str | None:
    """A control character (or lone surrogate) that free text refuses."""
    return next((c for c in value if unicodedata.category(c) in ("Cc", "Cs")
                 and c not in TYPED_CONTROLS), None)


def check_length(value: str, limit: int, label: str) -> None:
    if len(value) > limit:
        raise TextError(f"{label}不能超过{limit}字（当前{len(value)}字），请精简后重新填写")


def check_visible(value: str, label: str) -> None:
    """A name: every character visible."""
    bad = first_invisible(value)
    if bad is not None:
        raise TextError(f"{label}含有不可见字符 {describe(bad)}，请删除后重新填写")


def check_typed(value: str, label: str) -> None:
    """Free text: no control character a keyboard does not type."""
    bad = first_untyped_control(value)
    if bad is not None:
        raise TextError(f"{label}含有不可见字符 {describe(bad)}，请删除后重新填写")


def check_name(value: str, limit: int, label: str) -> None:
    check_length(value, limit, label)
    check_visible(value, label)


def check_text(value: str, limit: int, label: str) -> None:
    check_length(value, limit, label)
    check_typed(value, label)
