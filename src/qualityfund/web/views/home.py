"""The start page: open guides, and for bureau staff the applications by state; applicants
and experts land on their own lists."""

from django.db.models import Count
from django.shortcuts import redirect, render

from qualityfund.core.applications.models import Application
from qualityfund.core.applications.states import State
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
    return render(request, "web/home.html", context)
