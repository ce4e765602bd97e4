"""Read a rendered page with RapidOCR: which way up the text is, what it says, how sharp it is.

The models (PP-OCRv4 detector and recogniser, the mobile 0°/180° line classifier) ship inside
the rapidocr-onnxruntime wheel; nothing is fetched at run time. They are loaded once per
process, on first use.

Direction is decided in two steps that each rest on a strong signal:

1. Geometry. Chinese documents are set in horizontal lines, so the detector's line boxes are
   long and flat on an upright or upside-down page and tall on a sideways one.
2. Reading. A few lines, laid flat, are recognised once as they are and once turned half
   round; the recogniser is confident only on upright text (mean score ≈0.99 against ≈0.0
   on the generated scans). When neither reading is confident, the 0°/180° line classifier
   decides, and if it too is unsure the direction is left unknown.

Recognising every line is the slow part (about a second for a full A4 page on two cores), so
it is done only as far as the caller needs: no text, the short lines (where seal markers and
headings sit), or all lines.
"""

import threading
from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

OCR_DPI = 100            # A4 at 100 dpi suits the detector's 736-pixel working size
MIN_LINE_RATIO = 2.0     # a text line is at least twice as long as it is high
MIN_LINE_HEIGHT = 6      # pixels; smaller boxes are specks
SAMPLE_LINES = 6         # lines read in both directions
SAMPLE_RATIO = 8         # ...cut to their middle eight heights: five to eight characters
SHORT_LINE_RATIO = 14    # a "short" line: up to about a dozen characters
MIN_READ_SCORE = 0.5     # a recognition below this is noise
MIN_MARGIN = 0.2         # upright and turned readings must differ by this much to decide
MIN_CLASSIFIER_VOTE = 0.5

_engine = None
_engine_lock = threading.Lock()


class TextNeed(Enum):
    NONE = "none"
    SHORT_LINES = "short"
    ALL = "all"


def engine():
    """The process's RapidOCR instance, created on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            _engine = RapidOCR()
        return _engine


@dataclass(frozen=True)
class Reading:
    angle: int | None        # clockwise turn of the content: 0, 90, 180, 270; None if unknown
    confidence: float        # |mean score upright − mean score turned| of the sampled lines
    lines: tuple[str, ...]   # recognised lines, upright, in reading order
    line_count: int
    sharpness: float | None  # variance of the Laplacian inside the text lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class _Line:
    box: np.ndarray   # 4×2 corners, clockwise from the top left in image coordinates
    width: float
    height: float

    @property
    def horizontal(self) -> bool:
        return self.width >= self.height

    @property
    def ratio(self) -> float:
        return max(self.width, self.height) / max(min(self.width, self.height), 1.0)


def _crop(image: np.ndarray, line: _Line, quarter_turns: int) -> np.ndarray:
    """The box cut out straight, then turned counter-clockwise by ``quarter_turns``."""
    width, height = max(int(line.width), 1), max(int(line.height), 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(line.box.astype(np.float32), target)
    crop = cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE,
                               flags=cv2.INTER_CUBIC)
    return np.ascontiguousarray(np.rot90(crop, quarter_turns))


def _middle(crop: np.ndarray, ratio: int) -> np.ndarray:
    height, width = crop.shape[:2]
    if width <= ratio * height:
        return crop
    start = (width - ratio * height) // 2
    return np.ascontiguousarray(crop[:, start:start + ratio * height])


def _mean_score(results) -> float:
    return float(np.mean([score for _, score, *_ in results])) if results else 0.0


def _sharpness(gray: np.ndarray, lines: list[_Line]) -> float | None:
    """Variance of the Laplacian over the text lines only, so blank margins do not dilute it."""
    laplacian = cv2.Laplacian(gray, cv2.CV_64F)
    values = []
    for line in lines:
        x, y, w, h = cv2.boundingRect(line.box.astype(np.int32))
        values.append(laplacian[max(y, 0):y + h, max(x, 0):x + w].ravel())
    merged = np.concatenate(values) if values else np.empty(0)
    return float(merged.var()) if merged.size else None


def _direction(image: np.ndarray, lines: list[_Line]) -> tuple[int | None, float]:
    """(clockwise angle, confidence) from geometry and a two-way reading of some lines."""
    ocr = engine()
    flat = sum(line.width for line in lines if line.horizontal)
    tall = sum(line.height for line in lines if not line.horizontal)
    horizontal = flat >= tall
    chosen = sorted((line for line in lines if line.horizontal == horizontal),
                    key=lambda line: -line.ratio)[:SAMPLE_LINES]
    lay_flat = 0 if horizontal else 1
    crops = [_middle(_crop(image, line, lay_flat), SAMPLE_RATIO) for line in chosen]
    turned = [np.ascontiguousarray(np.rot90(crop, 2)) for crop in crops]
    results, _ = ocr.text_rec(crops + turned)
    upright_score = _mean_score(results[:len(crops)])
    turned_score = _mean_score(results[len(crops):])
    margin = upright_score - turned_score
    if max(upright_score, turned_score) >= MIN_READ_SCORE and abs(margin) >= MIN_MARGIN:
        flipped = margin < 0
    else:
        _, votes, _ = ocr.text_cls(crops)
        vote = sum(score if label == "0" else -score for label, score in votes) / len(votes)
        if abs(vote) < MIN_CLASSIFIER_VOTE:
            return None, abs(margin)
        flipped = vote < 0
    # A tall line read upright after a counter-clockwise quarter turn was turned clockwise.
    return (0 if horizontal else 90) + (180 if flipped else 0), abs(margin)


def _upright_centre(box: np.ndarray, shape: tuple[int, ...], quarter_turns: int):
    """Centre of ``box`` after the page is turned counter-clockwise ``quarter_turns`` times."""
    x, y = box.mean(axis=0)
    height, width = shape[:2]
    for _ in range(quarter_turns % 4):
        x, y, width, height = y, width - 1 - x, height, width
    return float(x), float(y)


def _read_lines(image: np.ndarray, lines: list[_Line], angle: int, need: TextNeed):
    ocr = engine()
    turns = angle // 90
    if need is TextNeed.SHORT_LINES:
        lines = [line for line in lines if line.ratio <= SHORT_LINE_RATIO]
    if not lines:
        return ()
    typical = max(float(np.median([min(line.width, line.height) for line in lines])), 1.0)

    def reading_order(line: _Line) -> tuple[int, float]:
        x, y = _upright_centre(line.box, image.shape, turns)
        return round(y / typical), x

    order = sorted(lines, key=reading_order)
    results, _ = ocr.text_rec([_crop(image, line, turns) for line in order])
    return tuple(text for text, score, *_ in results if score >= MIN_READ_SCORE)


def read_page(image: np.ndarray, need: TextNeed = TextNeed.NONE) -> Reading:
    """Direction, sharpness and as much text as ``need`` asks of a rendered BGR page.

    The page is read through its red channel, where red ink is nearly as light as paper:
    a seal over the signature line would otherwise hide the words under it and add curved
    text that is no guide to the page's direction.
    """
    ocr = engine()
    image = np.ascontiguousarray(np.repeat(image[:, :, 2:3], 3, axis=2))
    boxes, _ = ocr.text_det(image)
    if boxes is None or len(boxes) == 0:
        return Reading(None, 0.0, (), 0, None)
    lines = []
    for box in boxes:
        width = float(np.linalg.norm(box[0] - box[1]))
        height = float(np.linalg.norm(box[1] - box[2]))
        line = _Line(np.asarray(box, dtype=np.float32), width, height)
        if min(width, height) >= MIN_LINE_HEIGHT:
            lines.append(line)
    text_lines = [line for line in lines if line.ratio >= MIN_LINE_RATIO]
    sharpness = _sharpness(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), text_lines)
    if not text_lines:
        return Reading(None, 0.0, (), 0, sharpness)
    angle, confidence = _direction(image, text_lines)
    texts: tuple[str, ...] = ()
    if need is not TextNeed.NONE and angle is not None:
        texts = _read_lines(image, lines, angle, need)
    return Reading(angle, confidence, texts, len(text_lines), sharpness)
