"""`qualityfund check_guide` and `load_guide` as an administrator runs them."""

import subprocess
import sys

import yaml

from qualityfund.domain.guide import GUIDE_2025


def qualityfund(*args):
    return subprocess.run([sys.executable, "-m", "qualityfund", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_check_guide_passes_the_shipped_guide():
    result = qualityfund("check_guide", str(GUIDE_2025))
    assert result.returncode == 0, result.stderr
    assert "校验通过" in result.stdout


def test_check_guide_names_file_line_location_and_reason(tmp_path):
    data = yaml.safe_load(GUIDE_2025.read_text(encoding="utf-8"))
    data["subprogrammes"][1]["review"]["min_panel_size"] = 4
    data["window"]["closes_at"] = "2025-06-01T18:00:00+08:00"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")

    result = qualityfund("check_guide", str(path))

    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert any("subprogrammes[1].review" in line for line in lines), result.stderr
    assert any("window" in line for line in lines), result.stderr
    assert all(line.split(":")[1].isdigit() for line in lines)


def test_load_guide_loads_and_reloading_keeps_a_moved_window(db, capsys):
    from django.core.management import call_command

    from qualityfund.core.guides.models import Guide

    call_command("load_guide", str(GUIDE_2025))
    guide = Guide.objects.get(slug="2025")
    guide.closes_at = guide.closes_at.replace(hour=20)
    guide.save()
    call_command("load_guide", str(GUIDE_2025))

    assert "已加载" in capsys.readouterr().out
    guide.refresh_from_db()
    assert guide.closes_at.hour == 20 and Guide.objects.count() == 1
