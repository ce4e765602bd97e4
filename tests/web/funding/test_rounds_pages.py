"""The plan list and plan page with rounds: the filter, each plan's state as it stands, who is
not ready for a plan (with links), drafting a round on purpose, and the director's flag."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from qualityfund.core.funding import services
from qualityfund.core.funding.models import FundingPlan
from tests.core.panels.support import rechecked_applications

from .conftest import advance, brand_year


def test_the_filter_filters_and_each_plan_shows_its_state_as_it_stands(
        guide, officer, director, client_of, django_assert_max_num_queries):
    brand_year(guide, officer, 2)
    brand_year(guide, officer, 1, start=5, subprogramme="gba")
    plan = advance(services.draft_plan(guide, "brand", by=officer), officer, director,
                   "noticed")
    client = client_of(officer)
    url = reverse("web:funding-plans")
    with django_assert_max_num_queries(14):
        page = client.get(f"{url}?guide={guide.pk}&subprogramme=brand").content.decode()
    assert 'id="plans-brand"' in page and 'id="plans-gba"' not in page
    assert "社会公示中（至" in page
    FundingPlan.objects.filter(pk=plan.pk).update(
        notice_ends_at=timezone.now() - timedelta(minutes=1))
    page = client.get(f"{url}?guide={guide.pk}").content.decode()
    assert "公示期满，待下达" in page and 'id="plans-gba"' in page
    assert "1 个项目已通过查询，待纳入方案" in page


def test_the_list_names_who_is_not_ready_and_a_round_needs_a_reason(guide, officer,
                                                                    client_of):
    brand_year(guide, officer, 3)
    waiting = rechecked_applications(guide, "brand", 2, officer=officer)
    client = client_of(officer)
    page = client.get(reverse("web:funding-plans") + f"?guide={guide.pk}").content.decode()
    assert "2 个项目尚未完成评审或查询" in page
    assert reverse("web:review-application", args=[waiting[0].pk]) in page
    assert "分批次拟定" in page and "分批理由" in page
    draft = reverse("web:funding-plan-draft")
    refused = client.post(draft, {"guide": guide.pk, "subprogramme": "brand"}, follow=True)
    assert "尚有2个项目未完成评审或不予资助情形查询" in refused.content.decode()
    assert not FundingPlan.objects.exists()
    done = client.post(draft, {"guide": guide.pk, "subprogramme": "brand",
                               "round_name": "第一批", "reason": "第二批专家组尚未组建"},
                       follow=True).content.decode()
    assert "已拟定2025年特色品牌培育拟资助方案（第一批）" in done
    assert "分批理由：第二批专家组尚未组建" in done
    assert "留待后续批次：2 个项目" in done and "剩余名额 7 个" in done
    assert reverse("web:review-application", args=[waiting[1].pk]) in done


def test_the_director_sees_an_application_reviewed_after_the_last_plan(
        guide, officer, director, client_of):
    brand_year(guide, officer, 1)
    plan = advance(services.draft_plan(guide, "brand", by=officer), officer, director, "final")
    client = client_of(director)
    assert "评审完成但未纳入任何资助方案" not in client.get(reverse("web:home")).content.decode()
    late = brand_year(guide, officer, 1, start=3)[0]
    page = client.get(reverse("web:home")).content.decode()
    assert "评审完成但未纳入任何资助方案" in page and late.project_name in page
    assert f"{plan}已于" in page and "拟定追加方案" in page
