"""A draw's seed hash, the experts' scoring deadline, and what a panel scores on.

Panels already drawn scored the report templates' dimensions and keep doing so; panels drawn
from now on score the guide's criteria. A conflict that found nobody to replace it used to
leave no trace in the draw record: it is written in as the code now records it, so that the
officer can fill or close the seat and the replay still agrees.
"""

from django.db import migrations, models

CONFLICT_LEFT_EMPTY = "抽取后申报回避，无可替换专家，席位空缺"
NOBODY_LEFT = "没有可替换的符合条件的专家"


def drawn_panels_keep_their_dimensions(apps, schema_editor):
    Panel = apps.get_model("panels", "Panel")
    Panel.objects.exclude(status="draft").update(scoring_basis="dimensions")


def record_empty_seats(apps, schema_editor):
    Panel = apps.get_model("panels", "Panel")
    PanelMember = apps.get_model("panels", "PanelMember")
    Conflict = apps.get_model("panels", "Conflict")
    for panel in Panel.objects.filter(status="drawn"):
        active = set(PanelMember.objects.filter(panel=panel, status="active")
                     .values_list("seat", flat=True))
        members, steps, excluded = list(panel.drawn_members), list(panel.replacements), dict(
            panel.excluded)
        for seat, expert_id in enumerate(panel.drawn_members, start=1):
            if expert_id is None or seat in active:
                continue
            left = PanelMember.objects.filter(panel=panel, seat=seat, status="replaced",
                                              expert_id=int(expert_id)).first()
            conflict = Conflict.objects.filter(
                expert_id=int(expert_id), application__panel_entry__panel=panel).order_by(
                "declared_at").first()
            if left is None or conflict is None:
                continue
            declared = sorted({str(pk) for pk in Conflict.objects.filter(
                application__panel_entry__panel=panel, declared_at__lte=conflict.declared_at)
                .values_list("expert_id", flat=True)})
            steps.append({"kind": "replace", "conflicted": expert_id, "seat": seat,
                          "application": conflict.application_id, "reason": conflict.reason,
                          "at": left.replaced_at.isoformat(), "exclude": declared,
                          "chosen": None, "failure": NOBODY_LEFT})
            members[seat - 1] = None
            excluded[expert_id] = CONFLICT_LEFT_EMPTY
        if steps != panel.replacements:
            panel.drawn_members, panel.replacements, panel.excluded = members, steps, excluded
            panel.save(update_fields=["drawn_members", "replacements", "excluded"])


class Migration(migrations.Migration):

    dependencies = [
        ("panels", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="panel",
            name="scoring_basis",
            field=models.CharField(choices=[("rubric", "指南所列评审标准"),
                                            ("dimensions", "报告模板评价维度")],
                                   default="rubric", max_length=10, verbose_name="评分依据"),
        ),
        migrations.AddField(
            model_name="panel",
            name="scoring_deadline",
            field=models.DateTimeField(blank=True, null=True, verbose_name="评分截止时间"),
        ),
        migrations.AddField(
            model_name="panel",
            name="seed_algorithm",
            field=models.CharField(blank=True, max_length=10, verbose_name="摘要算法"),
        ),
        migrations.AddField(
            model_name="panel",
            name="seed_hash",
            field=models.CharField(blank=True, max_length=128,
                                   verbose_name="抽取前记录的种子摘要"),
        ),
        migrations.RunPython(drawn_panels_keep_their_dimensions, migrations.RunPython.noop),
        migrations.RunPython(record_empty_seats, migrations.RunPython.noop),
    ]
