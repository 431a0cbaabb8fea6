from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from planning.selectors import dashboard_rows
from structure.selectors import dashboard_for, roles_of


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    return render(request, "dashboard.html", {"roles": roles, **dashboard_for(roles), **dashboard_rows(roles)})


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
