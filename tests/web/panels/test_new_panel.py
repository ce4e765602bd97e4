"""The new-panel page picks which applications a panel takes (all that wait, by default) and
names the round (批次) it belongs to; the rest wait for a later round's panel."""

from django.urls import reverse

from qualityfund.core.panels.models import Panel
from tests.core.panels.support import rechecked_applications


def test_the_officer_picks_the_applications_of_a_round(guide, officer, client_of):
    apps = rechecked_applications(guide, "innovation", 3, officer=officer)
    brand = rechecked_applications(guide, "brand", 1, officer=officer)[0]
    client = client_of(officer)
    page = client.get(reverse("web:panel-new")).content.decode()
    for application in apps:
        assert f'value="{application.pk}" id="app-{application.pk}" checked' in page
    url = reverse("web:panel-new")
    form = {"choice": f"{guide.pk}:innovation", "size": "5", "expertise": ["质量技术攻关"],
            "round": "第一批"}
    none = client.post(url, form).content.decode()
    assert "请至少选择一个纳入本专家组的申请" in none and not Panel.objects.exists()
    other = client.post(url, {**form, "applications": [apps[0].pk, brand.pk]}).content.decode()
    assert "所选申请须为本子项目已复审、且尚未分配专家组的申请" in other
    assert not Panel.objects.exists()
    response = client.post(url, {**form, "applications": [apps[0].pk, apps[1].pk]})
    panel = Panel.objects.get()
    assert response.status_code == 302
    assert panel.name == "2025年质量攻关及创新专家组（第一批）"
    assert sorted(panel.entries.values_list("application_id", flat=True)) == [
        apps[0].pk, apps[1].pk]
    page = client.get(url).content.decode()
    assert f'id="app-{apps[2].pk}"' in page and f'id="app-{apps[0].pk}"' not in page
    assert "待评审 1 个" in page
