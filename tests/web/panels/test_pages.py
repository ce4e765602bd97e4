"""The panel pages: the done-when walk, conflicts hiding everything, autosave, query counts."""

import io
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from qualityfund.core.accounts.models import Role
from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.panels import services
from qualityfund.core.panels.models import Conflict, Panel
from tests import factories
from tests.core.panels.support import full_values, rechecked_applications, score_all


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_done_when_draw_and_ranking_through_the_pages(guide, chief, pool, client_of):
    """20 applications, 30 experts, a panel of 7 drawn through the pages with the planted
    employer conflict and declared relation avoided; scored on the template's dimensions;
    the chair sees the trimmed-mean ranking with an outlier and finalises; the replay page
    confirms the draw."""
    client = client_of(chief)
    response = client.post(reverse("web:panel-new"), {
        "choice": f"{guide.pk}:innovation", "size": "7", "expertise": ["质量技术攻关"],
        "applications": list(Application.objects.values_list("pk", flat=True))})
    panel = Panel.objects.get()
    assert response.status_code == 302 and panel.entries.count() == 20
    response = client.post(reverse("web:panel-draw", args=[panel.pk]), {"workdays": "10"})
    assert response.status_code == 302
    page = _text(client.get(reverse("web:panel-detail", args=[panel.pk])))
    panel.refresh_from_db()
    members = list(panel.members.select_related("expert"))
    assert len(members) == 7
    assert {pool["employed"].pk, pool["related"].pk}.isdisjoint(m.expert_id for m in members)
    assert "同单位专家" in page and "与申报单位为同一工作单位，须回避" in page
    assert "关联专家" in page and "与申报单位存在关联关系，须回避" in page
    client.post(reverse("web:panel-chair", args=[panel.pk]), {"expert": members[0].expert_id})
    harsh, first = members[-1], panel.entries.order_by("application_id").first().application

    def score_of(member, application):
        if member == harsh and application == first:
            return 30, False
        return 70 + application.pk % 7 + member.seat % 3, True

    score_all(panel, score_of)
    chair = client_of(members[0].expert.user)
    page = _text(chair.get(reverse("web:panel-ranking", args=[panel.pk])))
    assert "去掉1个最高分和1个最低分后取平均" in page
    assert page.count("score-outlier") >= 2 and "▲" in page  # legend + the flagged cell
    assert "确认定稿" in page
    response = chair.post(reverse("web:panel-finalise", args=[panel.pk]))
    assert response.status_code == 302
    assert set(Application.objects.values_list("state", flat=True)) == {State.REVIEWED}
    flagged = Application.objects.get(pk=first.pk)
    totals = sorted(first.score_sheets.values_list("total", flat=True))
    assert flagged.review_score == (sum(totals[1:-1]) / 5).quantize(Decimal("0.01"))
    replay = _text(client_of(chief).get(reverse("web:panel-replay", args=[panel.pk])))
    assert "复核一致" in replay


def test_a_declared_conflict_leaves_nothing_visible(drawn, client_of, tmp_path):
    member = drawn.members.first()
    user = member.expert.user
    application = drawn.entries.first().application
    client = client_of(user)
    client.post(reverse("web:panel-clear", args=[drawn.pk]))
    assert client.get(reverse("web:panel-sheet", args=[drawn.pk, application.pk])).status_code \
        == 200
    response = client.post(reverse("web:panel-conflict", args=[drawn.pk, application.pk]),
                           {"reason": "本人为该单位技术顾问"})
    assert response.status_code == 302
    for name, args in [("panel-sheet", [drawn.pk, application.pk]),
                       ("panel-sheet-save", [drawn.pk, application.pk]),
                       ("panel-sheet-confirm", [drawn.pk, application.pk]),
                       ("panel-conflict", [drawn.pk, application.pk]),
                       ("panel-material", [drawn.pk, application.pk, 1]),
                       ("panel-detail", [drawn.pk]), ("panel-ranking", [drawn.pk]),
                       ("panel-report", [drawn.pk, "pdf"])]:
        url = reverse(f"web:{name}", args=args)
        method = client.post if name.endswith(("save", "confirm", "conflict")) else client.get
        assert method(url).status_code == 404, url
    listing = _text(client.get(reverse("web:panel-list")))
    assert drawn.name not in listing and application.organisation.name not in listing


def test_a_conflict_hides_the_application_from_an_active_member_and_the_chair(
        guide, chief, client_of):
    """Whatever way a conflict is on record, the querysets and rules hide the application:
    materials, the sheet, other experts' scores — checked on every URL."""
    from tests.core.panels.support import make_expert

    applications = rechecked_applications(guide, "qi-service", 3, officer=chief,
                                          with_material=True)
    experts = [make_expert(expertise=["质量管理"]) for _ in range(5)]
    panel = services.create_panel(guide=guide, subprogramme="qi-service", size=5,
                                  expertise=["质量管理"], by=chief)
    panel = services.draw(panel, by=chief)
    services.appoint_chair(panel, experts[0], by=chief)
    hidden, visible = applications[0], applications[1]
    score_all(panel, lambda member, application: (80, True))
    Conflict.objects.create(expert=experts[0], application=hidden, source="relation",
                            reason="近亲属在该单位任职")
    client = client_of(experts[0].user)
    material = hidden.material_files.first()
    for name, args in [("panel-sheet", [panel.pk, hidden.pk]),
                       ("panel-material", [panel.pk, hidden.pk, material.pk])]:
        assert client.get(reverse(f"web:{name}", args=args)).status_code == 404
    assert client.post(reverse("web:panel-sheet-save", args=[panel.pk, hidden.pk])
                       ).status_code == 404
    own = visible.material_files.first()
    assert client.get(reverse("web:panel-material", args=[panel.pk, visible.pk, own.pk])
                      ).status_code == 200
    for url in (reverse("web:panel-detail", args=[panel.pk]),
                reverse("web:panel-ranking", args=[panel.pk])):
        page = _text(client.get(url))
        assert hidden.organisation.name not in page and hidden.number not in page
        assert visible.organisation.name in page
    assert client.get(reverse("web:panel-report", args=[panel.pk, "xlsx"])).status_code == 403
    other_sheet = hidden.score_sheets.exclude(member__expert=experts[0]).first()
    response = client.post(reverse("web:panel-sheet-reopen", args=[panel.pk]),
                           {"sheet": other_sheet.pk, "reason": "试图查看"})
    assert response.status_code == 404


def test_only_members_and_staff_reach_a_panel(drawn, client_of, pool):
    outsider = pool["employed"].user
    assert client_of(outsider).get(reverse("web:panel-detail", args=[drawn.pk])).status_code \
        == 404
    applicant = factories.make_user(Role.APPLICANT, factories.make_organisation())
    assert client_of(applicant).get(reverse("web:panel-list")).status_code == 403
    member = drawn.members.first().expert.user
    client = client_of(member)
    assert client.get(reverse("web:panel-ranking", args=[drawn.pk])).status_code == 403
    assert client.get(reverse("web:panel-replay", args=[drawn.pk])).status_code == 403


def test_autosave_keeps_valid_input_and_confirm_locks(drawn, client_of):
    member = drawn.members.first()
    application = drawn.entries.first().application
    client = client_of(member.expert.user)
    url = reverse("web:panel-sheet", args=[drawn.pk, application.pk])
    client.post(reverse("web:panel-clear", args=[drawn.pk]))
    page = _text(client.get(url))
    for title in ("实用性", "技术经济效果", "示范推广价值", "权重 1 · 占总分 33.33%",
                  "报告中的依据：", "选题重要性", "优秀 90–100", "较差 0–59.5",
                  "建议资助金额", "现场核查意见（如进行了现场核查）"):
        assert title in page, title
    save = reverse("web:panel-sheet-save", args=[drawn.pk, application.pk])
    response = client.post(save, {"score-practicality": "85", "score-techno-economic-effect":
                                  "101", "amount": "250000"}, HTTP_HX_REQUEST="true")
    text = _text(response)
    assert "已自动保存" in text and "“技术经济效果”的评分应在 0–100 分之间" in text
    assert "“建议资助金额”应大于0且不超过资助上限 200,000 元" in text
    sheet = application.score_sheets.get()
    assert sheet.scores == {"practicality": "85"} and sheet.amount is None
    page = _text(client.get(url))
    assert 'class="band-current"' in page  # 85 lies in 良好 75–89.5, shown beside the score
    assert re.search(r"所在评分档：\s*<span[^>]*>良好", page)
    values = full_values(drawn, 88)
    data = {**{f"score-{k}": v for k, v in values["scores"].items()},
            **{f"comment-{k}": v for k, v in values["comments"].items()},
            "recommendation": "yes", "amount": "180000"}
    del data["comment-demonstration-value"]
    confirm = reverse("web:panel-sheet-confirm", args=[drawn.pk, application.pk])
    response = client.post(confirm, data)
    assert response.status_code == 400 and "“示范推广价值”须填写评审意见" in _text(response)
    data["comment-demonstration-value"] = "成果已在行业推广"
    assert client.post(confirm, data).status_code == 302
    page = _text(client.get(url))
    assert "<fieldset disabled>" in page and "总分 88.00" in page
    assert 'data-confirm="' in page and "onclick" not in page


def test_the_sheet_stays_locked_until_no_conflict_is_declared(drawn, client_of):
    """Server-side: the page shows it locked, and saving, confirming and the materials are
    refused whatever is posted — not only hidden in the page."""
    member = drawn.members.first()
    application = drawn.entries.first().application
    client = client_of(member.expert.user)
    page = _text(client.get(reverse("web:panel-sheet", args=[drawn.pk, application.pk])))
    assert "评分表已锁定：请先在专家组页面核对全部申报单位并确认回避情况" in page
    assert "<fieldset disabled>" in page and "hx-post" not in page
    assert "确认回避情况后可查阅" in page
    values = full_values(drawn, 90)
    form = {**{f"score-{k}": v for k, v in values["scores"].items()},
            **{f"comment-{k}": v for k, v in values["comments"].items()},
            "recommendation": "yes", "amount": "150000"}
    for name in ("panel-sheet-save", "panel-sheet-confirm"):
        response = client.post(reverse(f"web:{name}", args=[drawn.pk, application.pk]), form)
        assert response.status_code == 400
        assert "请先在专家组页面确认回避情况，再开始评分" in _text(response)
    response = client.post(reverse("web:panel-sheet-save", args=[drawn.pk, application.pk]),
                           form, HTTP_HX_REQUEST="true")
    assert "已自动保存" not in _text(response)
    assert not application.score_sheets.exists()
    client.post(reverse("web:panel-clear", args=[drawn.pk]))
    assert client.post(reverse("web:panel-sheet-confirm", args=[drawn.pk, application.pk]),
                       form).status_code == 302


def test_materials_wait_for_the_declaration_too(guide, chief, client_of):
    from tests.core.panels.support import make_expert

    [application] = rechecked_applications(guide, "qi-service", 1, officer=chief,
                                           with_material=True)
    experts = [make_expert(expertise=["质量管理"]) for _ in range(5)]
    panel = services.draw(services.create_panel(guide=guide, subprogramme="qi-service",
                                                size=5, expertise=["质量管理"], by=chief),
                          by=chief)
    client = client_of(experts[0].user)
    url = reverse("web:panel-material", args=[panel.pk, application.pk,
                                              application.material_files.first().pk])
    assert client.get(url).status_code == 403
    services.clear_conflicts(panel, by=experts[0].user)
    assert client.get(url).status_code == 200


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_ranking_and_expert_list_take_the_same_queries_for_any_size(guide, chief, client_of):
    from tests.core.panels.support import make_expert

    experts = [make_expert(expertise=["品牌建设"]) for _ in range(5)]
    counts = {}
    for n, key in ((3, "brand"), (12, "qi-service")):
        rechecked_applications(guide, key, n, officer=chief)
        if key == "qi-service":
            for expert in experts:
                expert.expertise = ["质量管理"]
                expert.save()
        panel = services.create_panel(guide=guide, subprogramme=key, size=5,
                                      expertise=[experts[0].expertise[0]], by=chief)
        panel = services.draw(panel, by=chief)
        member = panel.members.first()
        services.appoint_chair(panel, member.expert, by=chief)
        score_all(panel, lambda m, a: (70 + a.pk % 5, True))
        client = client_of(member.expert.user)
        counts[n] = (_count(client, reverse("web:panel-ranking", args=[panel.pk])),
                     _count(client, reverse("web:panel-detail", args=[panel.pk])))
    assert counts[3] == counts[12]


def test_report_pdf_and_excel(drawn, chief, client_of):
    services.appoint_chair(drawn, drawn.members.first().expert, by=chief)
    score_all(drawn, lambda m, a: (60 + a.pk % 9 + m.seat, True))
    client = client_of(chief)
    pdf = client.get(reverse("web:panel-report", args=[drawn.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "评审结果报告" in text and drawn.seed in text and "同单位专家" in text
    assert f"SM3：{drawn.seed_hash}" in text
    for heading in ("一、评审标准", "三、各评审标准的专家组得分", "技术经济效果", "示范推广价值",
                    "选题重要性；二、实施系统性", "优秀90–100："):
        assert heading in text, heading
    xlsx = client.get(reverse("web:panel-report", args=[drawn.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["排名", "评审标准", "专家组成员", "评分明细", "抽取记录"]
    ranking = workbook["排名"]
    assert ranking.max_row >= 21 and workbook["评分明细"].max_row == 141
    header = [c.value for c in ranking[1]]
    assert header[header.index("评审得分") + 1:header.index("专家组推荐意见")] == [
        "实用性", "技术经济效果", "示范推广价值"]
    assert [c.value for c in workbook["评审标准"]["A"][1:4]] == [
        "实用性", "技术经济效果", "示范推广价值"]
    record = workbook["抽取记录"]
    assert record["B2"].value == drawn.seed and record["B3"].value == f"SM3：{drawn.seed_hash}"


def test_a_panel_drawn_before_the_rubric_keeps_scoring_the_template_dimensions(drawn,
                                                                             client_of):
    """The showcase's earlier panels: their sheets were filled on 附件5's dimensions."""
    Panel.objects.filter(pk=drawn.pk).update(scoring_basis="dimensions")
    member = drawn.members.first()
    application = drawn.entries.first().application
    services.clear_conflicts(drawn, by=member.expert.user)
    client = client_of(member.expert.user)
    page = _text(client.get(reverse("web:panel-sheet", args=[drawn.pk, application.pk])))
    assert "本专家组抽取于评审标准启用之前，按附件5报告模板的评价维度评分" in page
    assert 'name="score-d1"' in page and "二、实施系统性" in page
    assert 'name="score-practicality"' not in page
    response = client.post(reverse("web:panel-sheet-save", args=[drawn.pk, application.pk]),
                           {"score-d1": "85"}, HTTP_HX_REQUEST="true")
    assert "已自动保存" in _text(response)
    assert application.score_sheets.get().scores == {"d1": "85"}
