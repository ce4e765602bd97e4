"""Content negotiation for the download endpoints.

The file itself is a Django FileResponse that bypasses DRF's rendering; only a refusal is
rendered, always as JSON, whatever the client's ``Accept`` (``application/pdf``, say) asked
for — instead of a 406 that would hide the real reason.
"""

from rest_framework.negotiation import BaseContentNegotiation


class FileDownloadNegotiation(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
