"""The applicant's own organisation: details, identity change requests, and the users who
act for it."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qualityfund.core.accounts import queries
from qualityfund.core.accounts.identity import IDENTITY_FIELDS, is_frozen, label, shown
from qualityfund.core.accounts.identity_changes import (
    pending_change,
    submit_identity_change,
    withdraw_identity_change,
)
from qualityfund.core.accounts.services import add_colleague, name_warnings, update_organisation
from qualityfund.core.common.errors import RuleViolation

from ..forms import ApplicantUserForm, IdentityChangeForm, OrganisationForm


def _own_organisation(request):
    if not request.user.is_applicant:
        raise PermissionDenied("仅申报单位经办人可访问本单位信息")
    return request.user.organisation


def _page(request, org, *, form=None, change_form=None, user_form=None):
    """The organisation page; each form is the one posted (with its errors) or a fresh one.
    Forms get their own copy of the organisation: a ModelForm writes what it validates into
    its instance, and the page shows the values saved."""
    frozen = is_frozen(org)
    return render(request, "web/organisation.html", {
        "organisation": org, "frozen": frozen, "warnings": name_warnings(org),
        "form": form or OrganisationForm(instance=copy.copy(org), identity=not frozen),
        "identity": [{"label": label(n), "value": shown(n, getattr(org, n))}
                     for n in IDENTITY_FIELDS],
        "pending": pending_change(org),
        "change_form": change_form or IdentityChangeForm(instance=copy.copy(org)),
        "history": list(queries.history(org)),
        "users": org.users.order_by("date_joined"),
        "user_form": user_form or ApplicantUserForm(prefix="user"),
    })


@login_required
def organisation(request):
    org = _own_organisation(request)
    form = None
    if request.method == "POST":
        # Identity values posted (a page opened before the first submission) are not lost:
        # the service turns them into an identity change request.
        posted = any(name in request.POST for name in IDENTITY_FIELDS)
        form = OrganisationForm(request.POST, instance=copy.copy(org),
                                identity=posted or not is_frozen(org))
        if form.is_valid():
            update = update_organisation(org, form.cleaned_data, by=request.user)
            messages.success(request, "单位信息已保存")
            if update.change is not None:
                messages.info(request, "本单位已提交过申请，身份信息的修改已作为身份信息变更申请"
                                       "提交，审核人员批准后生效")
            for warning in name_warnings(update.organisation):
                messages.warning(request, warning)
            return redirect("web:organisation")
    return _page(request, org, form=form)


@login_required
@require_POST
def request_change(request):
    """申请变更: the identity as it should be, for an officer to approve or refuse."""
    org = _own_organisation(request)
    form = IdentityChangeForm(request.POST, instance=copy.copy(org))
    if form.is_valid():
        try:
            submit_identity_change(org, form.values(), by=request.user,
                                   reason=form.cleaned_data["reason"])
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "身份信息变更申请已提交，审核人员批准后生效；审核结果将通知您")
            return redirect("web:organisation")
    messages.error(request, "身份信息变更申请未提交，请按提示修改")
    return _page(request, org, change_form=form)


@login_required
@require_POST
def withdraw_change(request, pk):
    org = _own_organisation(request)
    change = get_object_or_404(org.identity_changes, pk=pk)
    try:
        withdraw_identity_change(change, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "身份信息变更申请已撤回")
    return redirect("web:organisation")


@login_required
def add_user(request):
    org = _own_organisation(request)
    form = ApplicantUserForm(request.POST or None, prefix="user")
    if request.method == "POST" and form.is_valid():
        add_colleague(org, form.save(commit=False), form.cleaned_data["password1"],
                      by=request.user)
        messages.success(request, f"已添加经办人：{form.cleaned_data['username']}")
        return redirect("web:organisation")
    return _page(request, org, user_form=form)
