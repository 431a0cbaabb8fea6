from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator

from attestation.selectors.attention import dashboard_rows as attestation_attention_rows
from attestation.selectors.schedule import dashboard_rows as attestation_rows
from experience.selectors.attention import dashboard_rows as experience_rows
from planning.selectors import dashboard_rows
from reports.selectors import college_indicators
from structure.selectors import dashboard_for, roles_of

from .attention import UNREAD, count_from_rows, remember, row_counts
from .common.viewtools import safe_next


def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs the user now. The size of every list comes first, in one query (attention.row_counts); then only
    the lists that are not empty are read, each at most a few rows with a link to the rest, so the page costs the
    same whatever the history behind it."""
    roles = roles_of(request.user)
    today = timezone.localdate()
    counts = row_counts(roles, today=today, user=request.user) if roles.person is not None or roles.is_director else {}
    unread = counts.pop(UNREAD, 0)
    rows = {
        **dashboard_for(roles, counts),
        **dashboard_rows(roles, counts),
        **attestation_rows(roles, today),
        **attestation_attention_rows(roles, today=today, counts=counts),
        **experience_rows(roles, today=today, counts=counts),
    }
    count = count_from_rows(rows)
    remember(request, count, unread)
    request._attention_counts = (count, unread)  # type: ignore[attr-defined]  # the menu shows these
    # The management sees a few figures of the college, with links to the reports (kept a minute: reports.selectors).
    management = roles.is_director or roles.is_deputy or roles.is_methodist
    indicators = college_indicators(today) if management else None
    context = {
        "roles": roles,
        **rows,
        "attention_count": count,
        "notifications_unread": unread,
        "indicators": indicators,
    }
    return render(request, "dashboard.html", context)


# ---------------------------------------------------------------- the door


class _SafeNext:
    """Follow `next` only to a path of this site (metodservice.common.viewtools.safe_next), else the view's default page."""

    def get_redirect_url(self) -> str:
        return safe_next(self.request)


class LoginView(_SafeNext, auth_views.LoginView):
    redirect_authenticated_user = True


@method_decorator(login_not_required, name="dispatch")  # a session that has already ended still logs out cleanly
class LogoutView(_SafeNext, auth_views.LogoutView):
    pass


@login_not_required
def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): says for how many minutes logging in is paused."""
    cool_off = get_cool_off(request)
    minutes = max(round(cool_off.total_seconds() / 60), 1) if cool_off else None
    return render(request, "registration/locked.html", {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE)


# ---------------------------------------------------------------- error pages


@login_not_required
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


@login_not_required
def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """A malformed or over-large request (RequestDataTooBig is one): Django's own answer is a bare English line."""
    return render(request, "400.html", status=400)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's page would render without the portal's layout (no request context)."""
    return render(request, "403_csrf.html", status=403)
