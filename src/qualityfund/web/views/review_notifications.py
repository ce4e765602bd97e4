"""The applicant's notices: the list, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from qualityfund.core.notifications.models import Notification
from qualityfund.core.notifications.services import mark_read


@login_required
def notification_list(request):
    """GET lists the user's own notices; POST ``id`` opens one (marked read), ``all`` marks
    every notice read."""
    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        if request.POST.get("id", "").isdigit():
            notice = get_object_or_404(mine, pk=int(request.POST["id"]))
            mark_read(request.user, notice.pk)
            if notice.link and url_has_allowed_host_and_scheme(notice.link, None):
                return redirect(notice.link)
        else:
            mark_read(request.user)
        return redirect("web:notification-list")
    page = Paginator(mine.select_related("application"), 20).get_page(request.GET.get("page"))
    return render(request, "web/review/notifications.html", {
        "page": page, "unread": mine.unread().count()})
