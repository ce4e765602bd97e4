"""Duplicate and split detection on the database (指南 二（五）, 七（七）5).

Each application and each earlier funded project is one ``SimilarityDocument``: its text
(project name, summary and the text layer of the report PDFs) and its MinHash signature.
The index of all signatures is loaded in one query and kept in the process; it is rebuilt
only when the table's fingerprint (row count, last id, last change) moves, which costs one
aggregate query per check. The pure detector (``domain.similarity``) does the rest.
"""

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pypdfium2
from django.conf import settings
from django.db.models import Count, Max

from qualityfund.domain.similarity import (
    Document,
    NearDuplicateIndex,
    Pair,
    check_one,
    matching_passages,
    signature,
    without_boilerplate,
)

from .models import EarlierProject, SimilarityDocument

DEFAULT_THRESHOLD = 0.5


def threshold() -> float:
    return float(getattr(settings, "FUNDING_SIMILARITY_THRESHOLD", DEFAULT_THRESHOLD))


def app_key(application_id: int) -> str:
    return f"app-{application_id}"


def earlier_key(project_id: int) -> str:
    return f"earlier-{project_id}"


# --- text ---------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (scans have none: their text is empty)."""
    document = pypdfium2.PdfDocument(data)
    try:
        parts = []
        for page in document:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        document.close()


def report_keys(application) -> set[str]:
    """The material slots holding the application's report (成果报告 and the like)."""
    spec = application.spec
    templates = {spec.report_template} if spec.report_template else set()
    return {m.key for m in spec.materials if m.template and m.template in templates}


def _strings(value) -> list[str]:
    """Every string inside a dumped model."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def template_words(application) -> list[str]:
    """Every string of the sub-programme's report template: what all its reports share."""
    key = application.spec.report_template
    return _strings(application.guide.spec.template(key).model_dump()) if key else []


def application_text(application, files: Iterable | None = None) -> str:
    """Name, summary and the report's own words (the template's words taken out)."""
    keys = report_keys(application)
    if files is None:
        files = application.material_files.current().filter(material_key__in=keys)
    parts = [application.project_name, application.summary]
    boilerplate = template_words(application)
    for material_file in files:
        if material_file.material_key in keys and material_file.file_type == "pdf":
            with material_file.file.open("rb") as handle:
                parts.append(without_boilerplate(pdf_text(handle.read()), boilerplate))
    return "\n".join(p for p in parts if p)


# --- stored documents ---------------------------------------------------------------------------


def store_application(application) -> SimilarityDocument:
    text = application_text(application)
    before = fingerprint()
    document, created = SimilarityDocument.objects.update_or_create(
        key=app_key(application.pk),
        defaults={
            "application": application, "org": application.organisation.credit_code,
            "year": application.guide.year, "subprogramme": application.subprogramme,
            "title": application.project_name[:200] or f"申请 #{application.pk}",
            "text": text, "signature": signature(text),
        },
    )
    _absorb(before, document, created)
    return document


def store_earlier(projects: Iterable[EarlierProject]) -> int:
    rows = []
    for project in projects:
        text = "\n".join(p for p in (project.project_name, project.summary) if p)
        rows.append(SimilarityDocument(
            key=earlier_key(project.pk), earlier=project, org=project.credit_code,
            year=project.year, subprogramme=project.subprogramme,
            title=project.project_name[:200], text=text, signature=signature(text)))
    SimilarityDocument.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def as_document(row: SimilarityDocument) -> Document:
    return Document(id=row.key, org=row.org, year=row.year,
                    subprogramme=row.subprogramme or None, title=row.title, text=row.text)


class StoredDocuments(Mapping):
    """Documents by key, read from the table on demand: the detector asks only for the few
    candidates the index proposes; ``prefetch`` reads a known set in one query."""

    def __init__(self):
        self._cache: dict[str, Document] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        wanted = [k for k in keys if k not in self._cache]
        for row in SimilarityDocument.objects.filter(key__in=wanted).defer("signature"):
            self._cache[row.key] = as_document(row)

    def __getitem__(self, key: str) -> Document:
        if key not in self._cache:
            self.prefetch([key])
        return self._cache[key]

    def __iter__(self):
        return iter(self._cache)

    def __len__(self) -> int:
        return len(self._cache)


# --- the index ----------------------------------------------------------------------------------


@dataclass
class _Cached:
    fingerprint: tuple | None = None
    index: NearDuplicateIndex | None = None


_cached = _Cached()
_lock = threading.Lock()


def fingerprint() -> tuple:
    stats = SimilarityDocument.objects.aggregate(n=Count("id"), last=Max("id"),
                                                 changed=Max("updated_at"))
    return stats["n"], stats["last"], stats["changed"]


def index() -> NearDuplicateIndex:
    """Every stored signature, from the process cache unless the table changed."""
    current = fingerprint()
    with _lock:
        if _cached.fingerprint != current or _cached.index is None:
            rows = SimilarityDocument.objects.values_list("key", "signature")
            _cached.index = NearDuplicateIndex.from_signatures(
                (key, bytes(data)) for key, data in rows.iterator(chunk_size=10_000))
            _cached.fingerprint = current
        return _cached.index


def _absorb(before: tuple, document: SimilarityDocument, created: bool) -> None:
    """Put a document this process just wrote into the cached index, instead of reloading
    every signature: only when the cache was current and the table moved by this write alone
    (one more row, ending with it, or the same rows); otherwise the next check reloads."""
    after = fingerprint()
    expected_rows = before[0] + (1 if created else 0)
    last_ok = after[1] == (document.pk if created else before[1])
    with _lock:
        if (_cached.index is not None and _cached.fingerprint == before
                and after[0] == expected_rows and last_ok):
            _cached.index.add(document.key, bytes(document.signature))
            _cached.fingerprint = after


@dataclass(frozen=True)
class Found:
    pair: Pair
    other_key: str
    passages: list[dict]


def check(document: SimilarityDocument, limit: float | None = None) -> list[Found]:
    """Pairs of one stored document with every other, matching passages included."""
    docs = StoredDocuments()
    mine = as_document(document)
    docs._cache[mine.id] = mine
    pairs = check_one(mine, index(), docs, limit if limit is not None else threshold())
    found = []
    for pair in pairs:
        other_key = pair.b if pair.a == mine.id else pair.a
        other = docs[other_key]
        passages = [
            {"mine": p.a_excerpt, "other": p.b_excerpt, "similarity": round(p.similarity, 3)}
            for p in matching_passages(mine.text, other.text)
        ]
        found.append(Found(pair, other_key, passages))
    return found
