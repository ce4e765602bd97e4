"""``qualityfund precheck``: the console script, run as a user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.domain.inspection import samples

QUALITYFUND = Path(sys.executable).with_name("qualityfund")


def precheck(*args, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QUALITYFUND_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)  # the packaged guide when no guide is loaded
    return subprocess.run([str(QUALITYFUND), "precheck", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def careless_pledge(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("precheck") / "承诺书-扫描件.pdf"
    path.write_bytes(samples.careless_pledge_pdf())
    return path


def test_a_scanned_upside_down_unsealed_pledge_names_all_three_problems_with_pages(
        careless_pledge, tmp_path):
    result = precheck(careless_pledge, "--material", "pledge", tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert all(set(f) == {"check", "status", "page", "message"} for f in findings)
    failed = {(f["check"], f["page"]) for f in findings if f["status"] == "fail"}
    # 倒置 (orientation), 未盖章 (seal) and 扫描分辨率 (legibility), on both pages
    assert {("orientation", 1), ("orientation", 2), ("seal", 1), ("seal", 2),
            ("legibility", 1), ("legibility", 2)} <= failed
    messages = " ".join(f["message"] for f in findings)
    assert "第1页内容倒置" in messages and "未检测到红色公章" in messages
    assert "96dpi" in messages


def test_without_a_material_the_generic_checks_run(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(samples.sideways_scan_pdf())
    result = precheck(path, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)
    assert {f["check"] for f in findings} >= {"readable", "orientation"}
    assert "seal" not in {f["check"] for f in findings}
    assert any(f["check"] == "orientation" and f["status"] == "fail" and f["page"] == 1
               for f in findings)


def test_a_broken_file_is_a_finding_not_a_crash(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(samples.corrupt_pdf())
    result = precheck(path, "--material", "pledge", tmp_path=tmp_path)
    assert result.returncode == 0
    first = json.loads(result.stdout)[0]
    assert (first["check"], first["status"]) == ("readable", "fail")


def test_an_unknown_material_or_missing_file_is_named(tmp_path, careless_pledge):
    unknown = precheck(careless_pledge, "--material", "nonsense", tmp_path=tmp_path)
    assert unknown.returncode != 0 and "指南中没有材料“nonsense”" in unknown.stderr
    missing = precheck(tmp_path / "nowhere.pdf", tmp_path=tmp_path)
    assert missing.returncode != 0 and "文件不存在" in missing.stderr
