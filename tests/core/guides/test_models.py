"""The typed guide of a record: validated once per process, with the record's window."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qualityfund.core.applications.models import Application


def test_rows_share_one_validated_guide_and_skip_its_data(guide, make_application):
    for key in ("gba", "brand", "digital"):
        make_application(key)
    assert guide.spec.subprogrammes  # warm: validated once in this process
    rows = list(Application.objects.select_related("guide").defer("guide__data"))
    with CaptureQueriesContext(connection) as queries:
        names = [row.spec.short_name for row in rows]
    assert len(queries) == 0
    assert len(set(names)) == 3


def test_each_record_keeps_its_own_window(guide, guide_2025):
    assert guide.spec.window.opens_at == guide.opens_at
    assert guide_2025.spec.window.opens_at == guide_2025.opens_at
    assert guide.spec.window.opens_at - guide_2025.spec.window.opens_at > timedelta(days=300)
