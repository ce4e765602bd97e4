"""The start page: open guides; for bureau staff the applications by state and those that
reached review after their sub-programme's last plan was issued; applicants and experts land
on their own lists."""

from django.db.models import Count
from django.shortcuts import redirect, render

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
from qualityfund.core.funding.queries import stranded
from qualityfund.core.guides.models import Guide


def home(request):
    if request.user.is_authenticated and request.user.is_applicant:
        return redirect("web:application-list")
    if request.user.is_authenticated and request.user.role == "expert":
        return redirect("web:panel-list")  # the reviews waiting, with their deadlines
    context = {"open_guides": Guide.objects.open_at()}
    if request.user.is_authenticated and request.user.is_bureau_staff:
        rows = Application.objects.values("state").annotate(n=Count("id")).order_by("state")
        context["state_counts"] = [{"label": State(r["state"]).label, "n": r["n"]} for r in rows]
    if request.user.has_perm("funding.view"):
        context["stranded"] = stranded()
    return render(request, "web/home.html", context)
