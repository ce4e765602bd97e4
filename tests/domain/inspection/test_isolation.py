"""The bounded child process: same answers as in-process, and overruns end as findings."""

import json

from qualityfund.domain.inspection import (
    Finding,
    inspect_file,
    inspect_file_isolated,
    precheck_json,
)

from . import samples
from .conftest import INCUBATION_REPORT, PLEDGE


def test_child_gives_the_same_findings(sample_file):
    path = sample_file("pledge-careless", samples.careless_pledge_pdf)
    assert inspect_file_isolated(path, PLEDGE) == inspect_file(path, PLEDGE)


def test_overrun_is_killed_and_reported(sample_file):
    path = sample_file("pledge-careless", samples.careless_pledge_pdf)
    findings = inspect_file_isolated(path, PLEDGE, timeout=0.05)
    assert findings == [Finding("readable", "fail", None,
                                "文件检查超时（超过0.05秒），文件可能过大或结构异常，请精简后重新上传")]


def test_memory_ceiling_ends_in_a_finding(sample_file):
    path = sample_file("pledge-careless", samples.careless_pledge_pdf)
    [finding] = inspect_file_isolated(path, PLEDGE, memory_mb=16)
    assert (finding.check, finding.status, finding.page) == ("readable", "fail", None)


def test_hostile_file_in_the_child(sample_file):
    path = sample_file("zip-bomb", samples.zip_bomb_docx, ".docx")
    [finding] = inspect_file_isolated(path, PLEDGE)
    assert "压缩炸弹" in finding.message


def test_precheck_json(sample_file):
    path = sample_file("report-30001", lambda: samples.long_report_pdf(30001))
    findings = json.loads(precheck_json(path, INCUBATION_REPORT, isolated=False))
    assert {"check": "length", "status": "fail", "page": None,
            "message": "报告字数为30001字，超过指南规定的30000字上限，请精简后重新上传"} in findings
    assert all(set(item) == {"check", "status", "page", "message"} for item in findings)


def test_precheck_json_isolated_by_default(sample_file):
    path = sample_file("encrypted", samples.encrypted_pdf)
    assert json.loads(precheck_json(path, PLEDGE)) == [
        {"check": "readable", "status": "fail", "page": None,
         "message": "文件已加密，无法读取，请上传未加密的PDF"}]
