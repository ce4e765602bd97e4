"""Money on the funding pages: yuan with thousands separators, whatever the UI language."""

from django import template

from qualityfund.domain.money import format_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    """200000 → "200,000"; Decimal("200000.00") → "200,000.00" (fen kept when present)."""
    if value is None or value == "":
        return ""
    text = format_yuan(value)
    return text[:-3] if isinstance(value, int) else text
