"""Log-in (rate-limited with lock-out by django-axes), log-out and organisation registration
(limited per client address)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from qualityfund.core.accounts import tokens, two_factor
from qualityfund.core.accounts.services import name_warnings, register_organisation

from ..forms import ApplicantUserForm, OrganisationForm
from ..ratelimit import limit_posts
from . import security


class LoginView(auth_views.LoginView):
    """Password first; a user with a confirmed authenticator is asked for its code next."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.has_two_factor(user):
            self.request.session[security.PENDING_USER] = user.pk
            self.request.session[security.PENDING_NEXT] = self.get_redirect_url()
            return redirect("web:login-otp")
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """Log-out ends the user's API tokens as well: nothing of theirs stays signed in."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            tokens.revoke_all(request.user, reason="logout")
        return super().post(request, *args, **kwargs)


@require_http_methods(["GET", "POST"])
@limit_posts("register")
def register(request):
    """单位注册: the organisation and its first applicant user, in one step."""
    org_form = OrganisationForm(request.POST or None, prefix="org")
    user_form = ApplicantUserForm(request.POST or None, prefix="user")
    if request.method == "POST" and org_form.is_valid() and user_form.is_valid():
        user = register_organisation(org_form.save(commit=False), user_form.save(commit=False),
                                     user_form.cleaned_data["password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"注册成功：{user.organisation.name}")
        for warning in name_warnings(user.organisation):
            messages.warning(request, warning)
        return redirect("web:home")
    return render(request, "web/register.html", {"org_form": org_form, "user_form": user_form})
