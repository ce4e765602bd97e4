"""Stored files served as downloads, typed by their content and never by their name.

Django's FileResponse would take the Content-Type from the file name, which the uploader
chose: an HTML page named ``x.html`` that also passes as a PDF would go out as
``text/html``. Here the type comes from the sniffed content (``MaterialFile.file_type``, or
a sniff of the stored bytes), the browser is told not to guess (``nosniff``) and always to
save the file (attachment), under a name made harmless (``domain.filenames``; Django writes
non-ASCII names as RFC 5987 ``filename*=utf-8''…``).
"""

from django.http import FileResponse

from qualityfund.domain.filenames import download_name
from qualityfund.domain.inspection.sniff import MEDIA_TYPES, SNIFF_BYTES, sniff_type

UNKNOWN_TYPE = "application/octet-stream"


def file_download(stored, *, name: str, kind: str | None = None) -> FileResponse:
    """A download of the stored file ``stored``; ``kind`` is its sniffed type if known."""
    handle = stored.open("rb")
    if kind is None:
        kind = sniff_type(handle.read(SNIFF_BYTES))
        handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=download_name(name, kind),
                            content_type=MEDIA_TYPES.get(kind, UNKNOWN_TYPE))
    response["X-Content-Type-Options"] = "nosniff"
    return response
