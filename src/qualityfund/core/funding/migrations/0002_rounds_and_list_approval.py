# Rounds (批次) of funding plans; four-eyes list imports; checks that could not run.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def imported_lists_stay_in_force(apps, schema_editor):
    """Lists imported before approval existed were in force at once: the latest of each kind
    stays active, the older ones are superseded."""
    ListImport = apps.get_model("funding", "ListImport")
    seen = set()
    for batch in ListImport.objects.order_by("-imported_at", "-id"):
        batch.status = "superseded" if batch.kind in seen else "active"
        seen.add(batch.kind)
        batch.save(update_fields=["status"])


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0001_initial'),
        ('guides', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='fundingplan',
            options={'ordering': ['guide', 'subprogramme', 'number'], 'verbose_name': '拟资助方案', 'verbose_name_plural': '拟资助方案'},
        ),
        migrations.RemoveConstraint(
            model_name='fundingplan',
            name='one_plan_per_subprogramme',
        ),
        migrations.AddField(
            model_name='disqualifiercheck',
            name='note',
            field=models.CharField(blank=True, max_length=300, verbose_name='说明'),
        ),
        migrations.AddField(
            model_name='fundingplan',
            name='number',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='序号'),
        ),
        migrations.AddField(
            model_name='fundingplan',
            name='reason',
            field=models.TextField(blank=True, verbose_name='分批或追加理由'),
        ),
        migrations.AddField(
            model_name='fundingplan',
            name='round_name',
            field=models.CharField(blank=True, max_length=50, verbose_name='批次'),
        ),
        migrations.AddField(
            model_name='fundingplan',
            name='split',
            field=models.BooleanField(default=False, verbose_name='分批次（留待后续批次）'),
        ),
        migrations.AddField(
            model_name='fundingplan',
            name='supplementary',
            field=models.BooleanField(default=False, verbose_name='追加方案'),
        ),
        migrations.AddField(
            model_name='listimport',
            name='review_note',
            field=models.TextField(blank=True, verbose_name='复核意见'),
        ),
        migrations.AddField(
            model_name='listimport',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='复核时间'),
        ),
        migrations.AddField(
            model_name='listimport',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='复核人'),
        ),
        migrations.AddField(
            model_name='listimport',
            name='source',
            field=models.CharField(blank=True, max_length=200, verbose_name='名单来源'),
        ),
        migrations.AddField(
            model_name='listimport',
            name='status',
            field=models.CharField(choices=[('pending', '待复核'), ('active', '生效中'), ('rejected', '复核未通过'), ('superseded', '已被新版本替换')], default='pending', max_length=20, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='disqualifiercheck',
            name='outcome',
            field=models.CharField(choices=[('clear', '未发现'), ('hit', '发现疑似情形'), ('unavailable', '未能查询（名单未导入/已过期）'), ('judgement', '须经办人员判断')], max_length=20, verbose_name='结果'),
        ),
        migrations.AlterField(
            model_name='fundingplan',
            name='budget',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='本年度预算（元）'),
        ),
        migrations.AddConstraint(
            model_name='fundingplan',
            constraint=models.UniqueConstraint(fields=('guide', 'subprogramme', 'number'), name='one_plan_per_round'),
        ),
        migrations.RunPython(imported_lists_stay_in_force, migrations.RunPython.noop),
    ]
