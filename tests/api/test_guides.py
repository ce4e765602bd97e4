"""The guides and their sub-programmes, read anonymously."""

from qualityfund.domain.guide import SUBPROGRAMME_KEYS


def test_guide_list(anonymous, guide, guide_2025):
    rows = {row["slug"]: row for row in anonymous.get("/api/v1/guides/").json()}
    assert set(rows) == {"2025", "2025-demo"}
    assert rows["2025"]["is_open"] is False and rows["2025"]["is_demo"] is False
    assert rows["2025-demo"]["is_open"] is True and rows["2025-demo"]["is_demo"] is True
    assert rows["2025"]["opens_at"] == "2025-06-12T09:00:00+08:00"
    assert rows["2025"]["year"] == 2025 and rows["2025"]["title"].startswith("2025年度")


def test_guide_detail_carries_the_validated_data_with_the_current_window(anonymous, guide):
    body = anonymous.get(f"/api/v1/guides/{guide.slug}/").json()
    assert body["is_open"] is True
    assert body["data"]["required_trust_level"] == 5
    assert [s["key"] for s in body["data"]["subprogrammes"]] == list(SUBPROGRAMME_KEYS)
    assert body["data"]["window"]["closes_at"].startswith(
        guide.closes_at.astimezone().date().isoformat()[:4])


def test_subprogramme_list(anonymous, guide):
    rows = anonymous.get(f"/api/v1/guides/{guide.slug}/subprogrammes/").json()
    assert [r["key"] for r in rows] == list(SUBPROGRAMME_KEYS)
    assert rows[1] == {
        "key": "qi-service", "order": 2, "clause": "三（二）", "name": "质量基础设施优质服务子项目",
        "short_name": "质量基础设施优质服务", "direction": rows[1]["direction"],
        "funding_text": "事后资助。每个项目予以最高30万元资助，同一平台每年获得资助项目不超过2项。",
    }


def test_subprogramme_detail_is_the_whole_spec(anonymous, guide):
    body = anonymous.get(f"/api/v1/guides/{guide.slug}/subprogrammes/qi-service/").json()
    assert body["funding"]["cap"] == 300_000
    assert body["review"]["method"] == "panel" and body["review"]["min_panel_size"] == 5
    assert "smes_served" in [f["key"] for f in body["figures"]]
    assert "qi-service-4a" in [c["id"] for c in body["conditions"]]
    assert [m["key"] for m in body["materials"]] == [
        "application-form", "pledge", "report", "evidence"]
    assert body["report_template"] == "report-qi-service"
    assert body["template"]["attachment"] == "附件2" and body["template"]["dimensions"]


def test_a_subprogramme_without_a_report_template(anonymous, guide):
    body = anonymous.get(f"/api/v1/guides/{guide.slug}/subprogrammes/honors/").json()
    assert body["report_template"] is None and body["template"] is None
    assert body["funding"] == {**body["funding"], "kind": "fixed", "amount": 200_000}


def test_unknown_guide_and_subprogramme(anonymous, guide):
    assert anonymous.get("/api/v1/guides/1999/").status_code == 404
    assert anonymous.get("/api/v1/guides/1999/subprogrammes/").status_code == 404
    answer = anonymous.get(f"/api/v1/guides/{guide.slug}/subprogrammes/nobel/")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "该指南没有子项目“nobel”"
