"""``qualityfund simulate_plan FILE``: the plan contract on the command line."""

import json
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "qualityfund"

INPUT = {
    "budgets": {"digital": 500_000},
    "applications": [
        {"id": "b1", "subprogramme": "brand", "org": "91440300MA5F00001A", "score": 90},
        {"id": "b2", "subprogramme": "brand", "org": "91440300MA5F00001A", "score": 85},
        {"id": "g1", "subprogramme": "gba", "org": "91440300MA5F00002B", "tier": 1},
        {"id": "d1", "subprogramme": "digital", "org": "X3", "requested": 300_000},
        {"id": "d2", "subprogramme": "digital", "org": "X4", "requested": 250_000},
        {"id": "i1", "subprogramme": "incubation", "org": "X5", "score": 49.5},
    ],
}


def run(*args, stdin: str | None = None):
    return subprocess.run([str(BIN), "simulate_plan", *args], input=stdin, capture_output=True,
                          text=True, timeout=60, check=False)


def test_prints_one_json_object_from_a_file_and_exits_0(tmp_path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(INPUT), encoding="utf-8")
    done = run(str(path))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [r["id"] for r in result["results"]] == ["b1", "b2", "g1", "d1", "d2", "i1"]
    by_id = {r["id"]: r for r in result["results"]}
    assert by_id["b1"] == {"id": "b1", "subprogramme": "brand", "status": "funded",
                           "amount": 200_000, "rank": 1,
                           "reason": "排名第1，在资助名额内，按标准予以资助20万元"}
    assert by_id["b2"]["status"] == "not_funded" and "不超过1项" in by_id["b2"]["reason"]
    assert by_id["g1"]["amount"] == 2_000_000
    # 500,000 ÷ 550,000 of each, rounded down to whole hundreds.
    assert (by_id["d1"]["amount"], by_id["d2"]["amount"]) == (272_700, 227_200)
    assert by_id["i1"]["status"] == "not_funded"
    assert result["totals"]["digital"] == 499_900


def test_reads_standard_input_with_a_dash():
    done = run("-", stdin=json.dumps(INPUT))
    assert done.returncode == 0 and json.loads(done.stdout)["totals"]["brand"] == 200_000


@pytest.mark.parametrize(("payload", "field"), [
    ({"applications": [{"id": "x", "subprogramme": "brand", "org": "A"}]},
     "applications[0].score"),
    ({"applications": [{"id": "x", "subprogramme": "nope", "org": "A"}]},
     "applications[0].subprogramme"),
    ({"applications": [], "budgets": {"brand": -1}}, "budgets.brand"),
    ({"applications": [{"id": "x", "subprogramme": "gba", "org": "A", "tier": 4}]},
     "applications[0].tier"),
])
def test_malformed_input_names_the_field_on_stderr_and_prints_nothing(payload, field):
    done = run("-", stdin=json.dumps(payload))
    assert done.returncode != 0
    assert done.stdout == ""
    assert field in done.stderr


def test_not_json_and_missing_file(tmp_path):
    done = run("-", stdin="{not json")
    assert done.returncode != 0 and done.stdout == "" and "JSON" in done.stderr
    missing = run(str(tmp_path / "none.json"))
    assert missing.returncode != 0 and missing.stdout == "" and "FILE" in missing.stderr


def test_the_command_takes_next_years_guide(tmp_path, capsys):
    from qualityfund.domain.guide import GUIDE_2025

    text = GUIDE_2025.read_text(encoding="utf-8").replace(
        "tiers: {1: 2000000, 2: 1000000, 3: 500000}", "tiers: {1: 2500000, 2: 1200000, 3: 600000}")
    guide = tmp_path / "guide-2026.yaml"
    guide.write_text(text, encoding="utf-8")
    data = tmp_path / "in.json"
    data.write_text(json.dumps({"applications": [
        {"id": 1, "subprogramme": "gba", "org": "A", "tier": 2}]}), encoding="utf-8")
    call_command("simulate_plan", str(data), guide=str(guide))
    assert json.loads(capsys.readouterr().out)["results"][0]["amount"] == 1_200_000
    with pytest.raises(CommandError, match="guide"):
        call_command("simulate_plan", str(data), guide=str(tmp_path / "none.yaml"))
