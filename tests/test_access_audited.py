"""Every file a user takes away is in the audit trail: each download and each export, by
whom, from which address and with which browser.

The walk asks every route of the project as the roles that read files (the applicant its
own, the panel's expert, the auditor and the administrator everything else), with the
``export`` parameters of the funding pages, and checks each answer: a file (a download or a
spreadsheet) wrote exactly one access record naming the user and the address; a page wrote
none. Routes whose file the scene has not made (a preview not yet rendered, an objection
without a scan) are tested in tests/web.
"""

from django.test import Client

from qualityfund.core.common import audit
from qualityfund.core.common.models import AuditRecord
from tests import routes
from tests.test_roles import ADMIN, APPLICANT, AUDITOR, EXPERT, scene, values_for  # noqa: F401

# Pages, API answers and the scripts of pages; anything else answered with 200 is a file.
PAGE_TYPES = ("text/html", "application/json", "text/plain", "text/javascript",
              "application/vnd.oai.openapi")
EXPORTS = ("", "?export=xlsx", "?export=checks")
BROWSER = "Mozilla/5.0 (Windows NT 10.0) 测试浏览器"


def _is_file(response) -> bool:
    return response.status_code == 200 and not response.get("Content-Type", "").startswith(
        PAGE_TYPES)


def _variants(route, url) -> list[str]:
    """The URL, with the funding pages' exports, and the other formats of a document."""
    if route.name.startswith("web:funding-"):
        return [url + query for query in EXPORTS]
    if url.endswith(".pdf"):
        return [url, url[:-4] + ".xlsx", url[:-4] + ".docx"]
    return [url]


def _walk(scene, actor) -> tuple[set[str], list[str]]:  # noqa: F811
    user = scene.users[actor]
    client = Client(REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT=BROWSER,
                    raise_request_exception=False)
    client.force_login(user)
    files, problems = set(), []
    for route in routes.all_routes():
        if route.name in ("web:logout", "admin:logout"):
            continue
        url = routes.build_url(route, values_for(route, scene))
        for query in _variants(route, url):
            before = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first()
            response = client.get(query)
            routes.content(response)
            made = list(AuditRecord.objects.filter(id__gt=before or 0,
                                                   action__startswith=audit.ACCESS))
            if _is_file(response):
                files.add(route.name)
                if len(made) != 1 or made[0].actor != user or (
                        made[0].address, made[0].user_agent) != ("198.51.100.23", BROWSER):
                    problems.append(f"{actor}: GET {query} ({route.name}) gave a file "
                                    f"and recorded {[(r.action, r.actor_id) for r in made]}")
            elif made:
                problems.append(f"{actor}: GET {query} ({route.name}) gave a page and "
                                f"recorded {[r.action for r in made]}")
    return files, problems


def test_every_download_and_export_is_recorded_with_its_source(scene):  # noqa: F811
    files, problems = set(), []
    for actor in (APPLICANT, EXPERT, AUDITOR, ADMIN):
        found, wrong = _walk(scene, actor)
        files |= found
        problems += wrong
    assert problems == [], "\n".join(problems)
    assert files >= {
        "web:material-download", "web:application-form-pdf", "web:template-download",
        "api:material-download", "api:application-form-pdf", "web:panel-material",
        "web:panel-report", "web:panel-pool-export", "web:funding-plan-final-pdf",
        "web:funding-plan-final-xlsx", "web:funding-plan-minutes", "web:funding-checks",
        "web:funding-plans", "web:funding-plan", "web:funding-payments", "web:funding-batch",
    }, files
