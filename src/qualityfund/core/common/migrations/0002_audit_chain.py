"""The audit chain: digests on the records, the link and anchor tables, the verification
results, and on the database itself the refusal to change or delete any of them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

AUDIT_TABLES = ("common_auditrecord", "common_auditlink", "common_auditanchor")

# PostgreSQL: UPDATE and DELETE are refused. The one exception is the archival command, which
# sets ``qualityfund.audit_archive`` for its own transaction and may then delete only what is
# older than the 180 days 等保 requires to be kept.
POSTGRESQL = """
CREATE OR REPLACE FUNCTION qualityfund_audit_insert_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('qualityfund.audit_archive', true) = 'on' THEN
        IF TG_TABLE_NAME = 'common_auditrecord' THEN
            IF OLD.at < now() - interval '180 days' THEN
                RETURN OLD;
            END IF;
        ELSIF TG_TABLE_NAME = 'common_auditlink' THEN
            IF (SELECT at FROM common_auditrecord WHERE id = OLD.record_id)
               < now() - interval '180 days' THEN
                RETURN OLD;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除（% %）', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
""" + "".join(f"""
CREATE TRIGGER {table}_insert_only BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION qualityfund_audit_insert_only();
""" for table in AUDIT_TABLES)
POSTGRESQL_REVERSE = "".join(
    f"DROP TRIGGER IF EXISTS {table}_insert_only ON {table};" for table in AUDIT_TABLES
) + "DROP FUNCTION IF EXISTS qualityfund_audit_insert_only();"

# SQLite (the embedded runtime): UPDATE is refused. DELETE is not, because Django empties
# SQLite tables with DELETE (the test suite between tests); the chain still shows it.
SQLITE = [f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改或删除'); END;
""" for table in AUDIT_TABLES]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {table}_no_update;" for table in AUDIT_TABLES]


def _run(statements):
    def run(apps, schema_editor):
        chosen = statements.get(schema_editor.connection.vendor, [])
        for sql in [chosen] if isinstance(chosen, str) else chosen:
            schema_editor.execute(sql, None)
    return run


def stamp_existing(apps, schema_editor):
    """Records written before the chain get their digest now (sealed on the first run)."""
    from qualityfund.core.common.chain import stamp

    records = apps.get_model("common", "AuditRecord").objects.using(
        schema_editor.connection.alias)
    batch = []
    for record in records.order_by("id").iterator(chunk_size=2000):
        batch.append(stamp(record))
        if len(batch) == 2000:
            records.bulk_update(batch, ["algorithm", "digest"])
            batch = []
    records.bulk_update(batch, ["algorithm", "digest"])


class Migration(migrations.Migration):

    dependencies = [
        ("common", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditrecord", name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now,
                                       verbose_name="时间"),
        ),
        migrations.AddField(
            model_name="auditrecord", name="address",
            field=models.CharField(blank=True, max_length=45, verbose_name="来源地址"),
        ),
        migrations.AddField(
            model_name="auditrecord", name="user_agent",
            field=models.CharField(blank=True, max_length=255, verbose_name="浏览器标识"),
        ),
        migrations.AddField(
            model_name="auditrecord", name="algorithm",
            field=models.CharField(default="", max_length=10, verbose_name="摘要算法"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditrecord", name="digest",
            field=models.CharField(default="", max_length=64, verbose_name="内容摘要"),
            preserve_default=False,
        ),
        migrations.RunPython(stamp_existing, migrations.RunPython.noop),
        migrations.CreateModel(
            name="AuditLink",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False,
                                               verbose_name="序号")),
                ("algorithm", models.CharField(max_length=10, verbose_name="摘要算法")),
                ("prev", models.CharField(max_length=64, verbose_name="前一环哈希")),
                ("hash", models.CharField(max_length=64, verbose_name="本环哈希")),
                ("sealed_at", models.DateTimeField(default=django.utils.timezone.now,
                                                   verbose_name="封存时间")),
                ("record", models.OneToOneField(
                    on_delete=django.db.models.deletion.PROTECT, related_name="link",
                    to="common.auditrecord", verbose_name="审计记录")),
            ],
            options={"verbose_name": "审计链", "verbose_name_plural": "审计链",
                     "ordering": ["seq"]},
        ),
        migrations.CreateModel(
            name="AuditAnchor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(unique=True, verbose_name="归档至序号")),
                ("hash", models.CharField(max_length=64, verbose_name="归档末环哈希")),
                ("before", models.DateField(verbose_name="归档截止日期")),
                ("count", models.PositiveIntegerField(verbose_name="归档记录数")),
                ("file_name", models.CharField(max_length=255, verbose_name="归档文件")),
                ("file_digest", models.CharField(max_length=64,
                                                 verbose_name="归档文件摘要（SHA-256）")),
                ("made_at", models.DateTimeField(default=django.utils.timezone.now,
                                                 verbose_name="归档时间")),
            ],
            options={"verbose_name": "审计归档锚点", "verbose_name_plural": "审计归档锚点",
                     "ordering": ["-seq"]},
        ),
        migrations.CreateModel(
            name="AuditVerification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now,
                                                      verbose_name="申请时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True,
                                                     verbose_name="完成时间")),
                ("ok", models.BooleanField(null=True, verbose_name="通过")),
                ("checked", models.PositiveBigIntegerField(default=0,
                                                           verbose_name="已核验记录数")),
                ("head_seq", models.BigIntegerField(blank=True, null=True,
                                                    verbose_name="链头序号")),
                ("head_hash", models.CharField(blank=True, max_length=64,
                                               verbose_name="链头哈希")),
                ("broken_seq", models.BigIntegerField(blank=True, null=True,
                                                      verbose_name="断裂处序号")),
                ("broken_record", models.BigIntegerField(blank=True, null=True,
                                                         verbose_name="断裂处审计记录")),
                ("problem", models.TextField(blank=True, verbose_name="问题")),
                ("requested_by", models.ForeignKey(
                    blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="申请人")),
            ],
            options={"verbose_name": "审计链核验", "verbose_name_plural": "审计链核验",
                     "ordering": ["-requested_at", "-id"]},
        ),
        migrations.RunPython(_run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE})),
    ]
