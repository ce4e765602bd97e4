"""``qualityfund backup`` and ``qualityfund restore``: a year's data goes out and comes back
identical — every row of every table (applications, audit records…), every stored file —
into an empty database of the same kind and of the other kind (SQLite ↔ PostgreSQL); a
corrupted backup, a database or a store that is not empty are refused."""

import hashlib
import os
import shutil
import uuid
from contextlib import contextmanager

import dj_database_url
import psycopg
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import load_backend
from django.utils import timezone

from qualityfund.core.accounts.models import Role, User
from qualityfund.core.applications import services as applications
from qualityfund.core.applications.models import Application, MaterialFile
from qualityfund.core.backup.database import tables
from qualityfund.core.common.models import AuditRecord
from qualityfund.core.funding import services as funding
from qualityfund.core.review import services as review
from qualityfund.core.review.services import ItemRequest
from qualityfund.core.runtime.files import walk
from tests import factories
from tests.core.funding.builders import consulted_plan

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("backup")]
ALIAS = "restored"


def _settings_dict(url: str) -> dict:
    parsed = dj_database_url.parse(url)
    parsed["ENGINE"] = parsed["ENGINE"].replace("django.db.backends.",
                                                "qualityfund.core.runtime.backends.")
    return connections.configure_settings({"default": parsed})["default"]


def _postgres_server() -> dict:
    default = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        return default
    return _settings_dict(os.environ.get("TEST_DATABASE_URL",
                                         "postgres://postgres@127.0.0.1:5432/postgres"))


@contextmanager
def empty_database(vendor: str, tmp_path):
    """A new, migrated database of ``vendor`` under the alias ``restored``."""
    if vendor == "sqlite":
        settings_dict = _settings_dict(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
        drop = None
    else:
        server = _postgres_server()
        name = f"qf_restore_{uuid.uuid4().hex[:10]}"
        conninfo = {"host": server["HOST"] or "127.0.0.1", "port": server["PORT"] or 5432,
                    "user": server["USER"], "password": server["PASSWORD"] or None}
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        settings_dict = {**server, "NAME": name}

        def drop():
            with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    connections[ALIAS] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict,
                                                                               ALIAS)
    try:
        call_command("migrate", database=ALIAS, verbosity=0)
        yield ALIAS
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        if drop:
            drop()


@pytest.fixture
def year(submit, make_application, applicant, officer, director, guide):
    """Applications submitted, in 补正 and in draft, with materials and 申请表 PDFs, a plan
    decided with its minutes: rows in most tables, files in every folder of the store."""
    submitted = submit("qi-service")
    review.request_supplementation(submit("brand"), by=officer,
                                   items=[ItemRequest("material:pledge", "未盖章")])
    applications.upload_material(make_application("honors"), "pledge", factories.upload("承诺书.pdf"),
                                 by=applicant)
    funding.record_decision(consulted_plan(guide, officer), meeting_date=timezone.localdate(),
                            decision="同意", by=director,
                            minutes=factories.upload("纪要.pdf"))
    return submitted


def every_row(alias: str) -> dict:
    return {model._meta.label_lower: list(model._base_manager.using(alias).order_by("pk")
                                          .values())
            for model in tables(alias)}


def stored_hashes() -> dict:
    hashes = {}
    for name in walk(default_storage):
        with default_storage.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


@pytest.fixture(params=["sqlite", "postgresql"])
def restored_database(request, tmp_path):
    with empty_database(request.param, tmp_path) as alias:
        yield alias


def test_a_backup_restores_every_row_and_file_and_refuses_what_it_must(
        year, restored_database, settings, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    before, files_before = every_row("default"), stored_hashes()
    assert Application.objects.count() >= 4 and AuditRecord.objects.count() >= 20
    assert len(files_before) >= 8

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "restored-media", "base_url": None}}}
    call_command("restore", str(folder), "--database", ALIAS)

    after = every_row(ALIAS)
    assert after == before
    assert after["common.auditrecord"] == before["common.auditrecord"]  # ids, times, data
    assert stored_hashes() == files_before
    for record in MaterialFile.objects.using(ALIAS):
        assert stored_hashes()[record.file.name] == record.sha256
    newcomer = User.objects.db_manager(ALIAS).create(username="after-restore", role=Role.OFFICER)
    assert newcomer.pk > max(row["id"] for row in before["accounts.user"])

    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(folder), "--database", ALIAS)
    call_command("flush", database=ALIAS, interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="目标文件存储不是空的"):
        call_command("restore", str(folder), "--database", ALIAS)


def test_a_corrupted_backup_is_refused_naming_the_file(year, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    material = MaterialFile.objects.first().file.name
    for relative in (f"files/{material}", "database/common.auditrecord.jsonl"):
        damaged = tmp_path / f"damaged-{uuid.uuid4().hex}"
        shutil.copytree(folder, damaged)
        path = damaged / relative
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
        with pytest.raises(CommandError, match=f"备份文件已损坏：{relative}"):
            call_command("restore", str(damaged))
    (folder / "files" / material).unlink()
    with pytest.raises(CommandError, match=f"备份文件缺失：files/{material}"):
        call_command("restore", str(folder))
    with pytest.raises(CommandError, match="不是空的"):
        call_command("backup", str(folder))
