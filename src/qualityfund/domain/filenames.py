"""The name a stored file is downloaded under: the uploader's name, made harmless.

The uploaded name is the uploader's to choose: it may carry a path, control characters,
a right-to-left override that shows ``exe.pdf`` for ``fdp.exe``, or an extension that
disagrees with the content (an HTML page called ``报告.html`` that also starts like a PDF).
The download keeps the readable part and always ends in the extension of the type sniffed
from the content, so the saved file opens as what it is.
"""

import unicodedata

EXTENSIONS = {"pdf": (".pdf",), "jpg": (".jpg", ".jpeg"), "png": (".png",),
              "docx": (".docx",), "xlsx": (".xlsx",), "mp4": (".mp4",)}
MAX_NAME_CHARS = 120
FALLBACK_NAME = "文件"
UNKNOWN_EXTENSION = ".bin"


def _visible(char: str) -> bool:
    # Cc: control characters (CR, LF, NUL …); Cf: format characters (bidi overrides,
    # zero-width joiners …); Zl/Zp: line and paragraph separators.
    return unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def download_name(name: str, kind: str | None) -> str:
    """``name`` without folders or invisible characters, ending in ``kind``'s extension
    (``.bin`` when the content is of no known type)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if _visible(c)).strip()
    extensions = EXTENSIONS.get(kind, (UNKNOWN_EXTENSION,))
    matched = next((e for e in extensions if base.lower().endswith(e)), None)
    if matched:
        stem, extension = base[: -len(matched)], base[-len(matched):]
    else:
        stem, extension = base, extensions[0]
    stem = stem[:MAX_NAME_CHARS].strip().strip(".").strip() or FALLBACK_NAME
    return stem + extension
