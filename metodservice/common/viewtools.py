"""What every view module shares: the permission check, showing a service's refusal, paging, and the one check
of a user-supplied return address (`next`). The acting person is structure.viewtools.me (it needs the roles)."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 50


def require(request: HttpRequest, perm: str, obj=None) -> None:
    """403 unless the rule allows it. rules.has_perm, not user.has_perm: the superuser administers accounts
    but takes no business decisions."""
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied


def report(request: HttpRequest, error: ValidationError, form=None) -> None:
    """Show a service's refusal: on the form's fields when there is a form, else as messages."""
    if form is None:
        for message in error.messages:
            messages.error(request, message)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def page(request: HttpRequest, queryset, size: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def attempt(request: HttpRequest, call, success):
    """Run one service call for a POST action: on refusal show its messages and return None; on success show
    `success` (a string, or a function of the result) and return the result."""
    try:
        result = call()
    except ValidationError as error:
        report(request, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


def safe_next(request: HttpRequest, value: str | None = None) -> str:
    """The return address a request carries (`value`, else `next` from POST, else from GET) when it is a path on
    this site, else "" (the caller falls back to its own page).

    Only a path that starts with "/" is followed: never a URL name (redirect() would try to reverse it and answer
    500 on anything else), another host or scheme ("//evil", "https://…", "javascript:"), a relative path, or text
    with control characters (a header can't carry them)."""
    if value is None:
        value = request.POST.get("next") or request.GET.get("next") or ""
    if not value.startswith("/") or not value.isprintable():
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value
