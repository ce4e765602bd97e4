"""The password rule of 等保2.0 第三级 (GB/T 22239-2019 8.1.4.1 a: "口令具有复杂度要求"):
long enough, and drawn from enough kinds of character that guessing it takes more than a
dictionary."""

import unicodedata

MIN_LENGTH = 12
MIN_CLASSES = 3
CLASS_NAMES = ("大写字母", "小写字母", "数字", "符号")


def character_class(char: str) -> str:
    """One of ``CLASS_NAMES``; anything not an ASCII letter or a digit counts as a symbol
    (a Chinese character as well: it is no easier to guess than punctuation)."""
    if "A" <= char <= "Z":
        return "大写字母"
    if "a" <= char <= "z":
        return "小写字母"
    if unicodedata.category(char) == "Nd":
        return "数字"
    return "符号"


def classes(password: str) -> set[str]:
    return {character_class(c) for c in password}


def problem(password: str, *, min_length: int = MIN_LENGTH,
            min_classes: int = MIN_CLASSES) -> str | None:
    """Why ``password`` breaks the rule, in Chinese, or None when it meets it."""
    if len(password) >= min_length and len(classes(password)) >= min_classes:
        return None
    return rule_text(min_length, min_classes) + (
        f"（当前{len(password)}个字符，含{len(classes(password))}类）")


def rule_text(min_length: int = MIN_LENGTH, min_classes: int = MIN_CLASSES) -> str:
    return (f"密码至少须有{min_length}个字符，并包含{'、'.join(CLASS_NAMES)}中的"
            f"至少{min_classes}类")
