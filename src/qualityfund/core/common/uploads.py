"""Upload limits enforced while the request body arrives, not after it has been stored.

Django would spool a whole multipart body to a temporary file before any view could look
at a file's size. :class:`UploadLimitHandler` is the first upload handler: it asks the view
the request goes to for its limit (``@upload_limit``; ``settings.UPLOAD_LIMIT_BYTES``
otherwise), refuses a body whose Content-Length already exceeds it before reading a byte,
and stops a file as soon as it grows past it. Django then closes the handlers' files, which
removes their temporary files; :class:`UploadTooLarge` becomes a 413 that names the
material and the limit (``qualityfund.web.views.errors``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

MB = 1024 * 1024
FORM_ALLOWANCE = MB
"""Bytes of a multipart body beyond its file: part headers, boundaries and the other fields."""


@dataclass(frozen=True)
class UploadLimit:
    max_bytes: int
    label: str = "上传的文件"
    field: str | None = None


class UploadTooLarge(RequestDataTooBig):
    """A file over its limit; ``message`` is the Chinese text shown to the uploader."""

    def __init__(self, limit: UploadLimit, size: int | None = None):
        sent = f"（本次约 {size / MB:.1f} MB）" if size else ""
        self.message = (f"“{limit.label}”：文件超过上限 {limit.max_bytes / MB:g} MB{sent}，"
                        f"未予接收，请压缩或拆分后重新上传")
        self.field = limit.field
        super().__init__(self.message)


def upload_limit(resolve):
    """Give a view (a function or an API view class) the limit of its uploads.

    ``resolve(request, **url_kwargs)`` returns an :class:`UploadLimit`, or None for the
    default. It runs before the view, so it must not trust the request beyond reading.
    """

    def decorate(view):
        view.upload_limit = staticmethod(resolve) if isinstance(view, type) else resolve
        return view

    return decorate


def limit_of(request) -> UploadLimit:
    """The limit of the view that ``request`` resolved to."""
    match = getattr(request, "resolver_match", None)
    view = match.func if match else None
    resolve = (getattr(view, "upload_limit", None)
               or getattr(getattr(view, "cls", None), "upload_limit", None)
               or getattr(getattr(view, "view_class", None), "upload_limit", None))
    limit = resolve(request, **match.kwargs) if resolve else None
    return limit or UploadLimit(settings.UPLOAD_LIMIT_BYTES)


class UploadLimitHandler(FileUploadHandler):
    """Refuses a body over the view's limit before it is spooled (see the module's docstring)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = limit_of(request)
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > self.limit.max_bytes + FORM_ALLOWANCE:
            raise UploadTooLarge(self.limit, content_length)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit.max_bytes:
            # Django closes every handler's file (deleting the temporary file) and reads
            # the little that is left (the Content-Length passed handle_raw_input), so that
            # the browser gets the answer, not a reset; upload_complete() then refuses.
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None

    def upload_complete(self):
        if self.exceeded:
            raise UploadTooLarge(self.limit)
