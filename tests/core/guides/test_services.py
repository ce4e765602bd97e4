"""Loading guides and moving windows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.core.exceptions import PermissionDenied

from qualityfund.core.guides.models import Guide
from qualityfund.core.guides.services import load_guide, set_window
from qualityfund.domain.guide import GUIDE_2025

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_2025_guide_keeps_its_real_window(guide_2025, guide):
    assert guide_2025.opens_at == datetime(2025, 6, 12, 9, tzinfo=SHANGHAI)
    assert guide_2025.closes_at == datetime(2025, 7, 3, 18, tzinfo=SHANGHAI)
    assert guide.is_demo and guide.is_open() and not guide_2025.is_open()


def test_a_2026_guide_loads_beside_2025_without_code_change(guide_2025, tmp_path):
    data = yaml.safe_load(GUIDE_2025.read_text(encoding="utf-8"))
    data["year"] = 2026
    data["title"] = data["title"].replace("2025", "2026")
    data["window"] = {"opens_at": "2026-06-10T09:00:00+08:00",
                      "closes_at": "2026-07-01T18:00:00+08:00"}
    brand = next(s for s in data["subprogrammes"] if s["key"] == "brand")
    brand["funding"]["amount"] = 250_000
    path = tmp_path / "quality-brand-2026.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    guide_2026 = load_guide(path)

    assert sorted(Guide.objects.values_list("slug", flat=True)) == ["2025", "2026"]
    assert guide_2026.subprogramme("brand").funding.amount == 250_000
    assert guide_2025.subprogramme("brand").funding.amount == 200_000


def test_only_an_admin_moves_a_window(guide_2025, admin_user, officer):
    opens = datetime(2025, 6, 13, 9, tzinfo=SHANGHAI)
    closes = datetime(2025, 7, 4, 18, tzinfo=SHANGHAI)
    with pytest.raises(PermissionDenied):
        set_window(guide_2025, opens, closes, by=officer)
    set_window(guide_2025, opens, closes, by=admin_user)
    guide_2025.refresh_from_db()
    assert guide_2025.closes_at == closes
    assert guide_2025.spec.window.closes_at == closes


def test_a_non_admin_posting_a_window_is_refused_before_anything_is_read(client, guide_2025,
                                                                         officer):
    client.force_login(officer)
    response = client.post(f"/guides/{guide_2025.slug}/window/",
                           {"opens_at": "nonsense", "closes_at": ""})
    assert response.status_code == 403
