"""Why an application may be refused (不予受理), in the guide's own words.

指南 七（一）: "符合资助条件且提交的申报材料齐全的，予以受理；符合资助条件但材料不齐全的，申报单位
应当在限期内补齐材料，逾期未补齐的，视为放弃申报；不符合申报条件或未按要求补正的，不予受理。"
指南 四（三）说明: "超过申报时间提交的不予受理。"
指南 六: "只受理申请单位的直接申报，不接受第三方中介机构代理申报。"
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RefusalReason:
    code: str
    label: str
    clause: str
    guide_words: str
    needs_note: bool = False


REFUSAL_REASONS = (
    RefusalReason("not-eligible", "不符合申报条件", "七（一）",
                  "不符合申报条件……的，不予受理"),
    RefusalReason("not-supplemented", "未按要求补正", "七（一）",
                  "未按要求补正的，不予受理"),
    RefusalReason("late", "超过申报时间提交", "四（三）",
                  "超过申报时间提交的不予受理"),
    RefusalReason("agent", "由第三方中介机构代理申报", "六",
                  "只受理申请单位的直接申报，不接受第三方中介机构代理申报"),
    RefusalReason("other", "其他（须在说明中写明依据）", "",
                  "法律法规、规章和上级行政机关规范性文件规定的其他情形", needs_note=True),
)
BY_CODE = {reason.code: reason for reason in REFUSAL_REASONS}


def refusal_reason(code: str) -> RefusalReason:
    try:
        return BY_CODE[code]
    except KeyError:
        known = "、".join(f"{r.code}（{r.label}）" for r in REFUSAL_REASONS)
        raise KeyError(f"不予受理理由“{code}”不在指南所列理由中，可选：{known}") from None
