"""The portal's own middleware: sessions that end when idle, no caching of what a logged-in user sees, a transaction
for the requests that write."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control

#: Where the session keeps the moment it was last renewed (seconds since the epoch).
RENEWED_KEY = "_renewed_at"
#: A session is renewed at most this often (seconds): the idle timeout is exact to a minute.
RENEW_EVERY = 60


class IdleSessionMiddleware:
    """A session ends after SESSION_IDLE_MINUTES without a request (settings: SESSION_COOKIE_AGE is that time).

    Django's session store refuses a session past its expiry date, so the timeout is enforced by Django itself;
    this middleware only moves the expiry date on while the user is active: a logged-in request renews the session
    (one UPDATE, which also renews the cookie) when it was last renewed, or the user logged in, a minute or more ago.
    SESSION_SAVE_EVERY_REQUEST would do the same with a write on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or response.status_code >= 500:
            return response
        now = timezone.now().timestamp()
        renewed = request.session.get(RENEWED_KEY)
        if renewed is None and user.last_login is not None:
            renewed = user.last_login.timestamp()  # logging in saved the session
        if renewed is None or now - renewed >= RENEW_EVERY:
            request.session[RENEWED_KEY] = now
        return response


class NoStoreForLoggedInMiddleware:
    """Pages shown to a logged-in user (plans, protocols, staff lists: personal data) are not kept by the browser or
    any cache: `Cache-Control: private, no-store`, so the back button on a shared computer after logging out, or a
    proxy, shows nothing. A response that already says how it may be cached keeps its own header (the PDF and XLSX
    downloads, the iCal feed); static files never get here (WhiteNoise answers them earlier)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class PortalNotFoundMiddleware:
    """With DEBUG on, Django answers every missing page with its technical page in English (handler404 is used only
    with DEBUG off); the demo college (make run) runs with DEBUG on and is tried by staff, so a 404 there is the
    portal's own page (templates/404.html), as in production. With DEBUG off this does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404:
            return render(request, "404.html", status=404)
        return response


class AtomicWritesMiddleware:
    """A view that may write (POST, PUT, PATCH, DELETE) runs in one transaction, undone if it raises; a read (GET,
    HEAD, OPTIONS) runs in none.

    It replaces `ATOMIC_REQUESTS`, which wraps every view, reads too: a page's BEGIN and COMMIT are two round trips
    on every request for nothing — on PostgreSQL's READ COMMITTED each statement sees the data as of its own start
    either way. The writes a read does are single statements (a download counted, a session renewed) or a service's
    own transaction. As with ATOMIC_REQUESTS the transaction holds the view alone: this is the last middleware, and
    its `process_view` calls the view (a request the middleware before it answered — a visitor sent to log in —
    opens none). No middleware here has a `process_exception`, which a view called from here would skip."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method in self.SAFE_METHODS:
            return None  # Django calls the view
        with transaction.atomic():
            return view(request, *args, **kwargs)
