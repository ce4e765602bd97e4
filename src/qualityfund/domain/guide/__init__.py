"""The application guide (申报指南) as data: schema, loader and the shipped yearly files."""

from pathlib import Path

from qualityfund.domain.guide.loader import (
    GuideError,
    Problem,
    check_guide,
    load_guide,
    load_guide_text,
)
from qualityfund.domain.guide.schema import (
    SUBPROGRAMME_KEYS,
    Condition,
    Dimension,
    Figure,
    Funding,
    Guide,
    Item,
    Material,
    Period,
    Review,
    Situation,
    Subprogramme,
    Template,
    Window,
)

GUIDES_DIR = Path(__file__).resolve().parents[2] / "guides"
GUIDE_2025 = GUIDES_DIR / "quality-brand-2025.yaml"

__all__ = [
    "GUIDES_DIR",
    "GUIDE_2025",
    "SUBPROGRAMME_KEYS",
    "Condition",
    "Dimension",
    "Figure",
    "Funding",
    "Guide",
    "GuideError",
    "Item",
    "Material",
    "Period",
    "Problem",
    "Review",
    "Situation",
    "Subprogramme",
    "Template",
    "Window",
    "check_guide",
    "load_guide",
    "load_guide_text",
]
