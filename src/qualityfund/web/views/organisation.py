"""The applicant's own organisation: details and the users who act for it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from qualityfund.core.accounts.services import add_colleague, name_warnings, update_organisation

from ..forms import ApplicantUserForm, OrganisationForm


def _own_organisation(request):
    if not request.user.is_applicant:
        raise PermissionDenied("仅申报单位经办人可访问本单位信息")
    return request.user.organisation


@login_required
def organisation(request):
    org = _own_organisation(request)
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        update_organisation(form.save(commit=False), form.changed_data, by=request.user)
        messages.success(request, "单位信息已保存")
        for warning in name_warnings(org):
            messages.warning(request, warning)
        return redirect("web:organisation")
    return render(request, "web/organisation.html", {
        "form": form, "organisation": org, "warnings": name_warnings(org),
        "users": org.users.order_by("date_joined"),
        "user_form": ApplicantUserForm(prefix="user"),
    })


@login_required
def add_user(request):
    org = _own_organisation(request)
    form = ApplicantUserForm(request.POST or None, prefix="user")
    if request.method == "POST" and form.is_valid():
        add_colleague(org, form.save(commit=False), form.cleaned_data["password1"],
                      by=request.user)
        messages.success(request, f"已添加经办人：{form.cleaned_data['username']}")
        return redirect("web:organisation")
    return render(request, "web/organisation.html", {
        "form": OrganisationForm(instance=org), "organisation": org,
        "warnings": name_warnings(org), "users": org.users.order_by("date_joined"),
        "user_form": form,
    })
