"""The benchmark's URLs (bench/settings.py): the portal's, and the floor view at /bench/floor/.

The floor is what every page of a logged-in user pays before it does anything of its own: the whole middleware
stack (sessions, authentication, CSRF, the portal's own, CSP, history, axes), the session and the user read from the
database, one query, and the portal's layout (templates/base.html, which every page extends) rendered for that user.
The benchmark divides each page's time by the floor's, timed in the same run on the same machine, so the ratio says
how much a page costs beyond the framework and does not depend on the machine.

The layout is rendered without the portal's context processors (the user's roles, the menu, the attention badge):
those are the portal's own work, which every page pays and the benchmark measures; the floor is the framework's.
The one query reads the user's person, whose short name the layout shows where a page shows it.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import Engine, engines
from django.template.context import make_context
from django.urls import path

from metodservice.urls import handler400, handler403, handler404, handler500
from metodservice.urls import urlpatterns as portal_urlpatterns
from structure.models import Person

__all__ = ["floor", "handler400", "handler403", "handler404", "handler500", "urlpatterns"]

#: Django's own context processors; the portal's (structure.context_processors.portal, the menu, the badge) are not
#: the framework's.
FRAMEWORK_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
]

FLOOR_TEMPLATE = '{% extends "base.html" %}{% block title %}floor{% endblock %}{% block content %}{% endblock %}'


@cache
def _floor_template():
    """base.html through an engine configured as the portal's (loaders, libraries, DEBUG's template caching), with
    only Django's context processors."""
    portal = engines["django"].engine
    engine = Engine(
        dirs=portal.dirs,
        app_dirs=portal.app_dirs,
        context_processors=FRAMEWORK_CONTEXT_PROCESSORS,
        debug=portal.debug,
        loaders=None if portal.app_dirs else portal.loaders,
        string_if_invalid=portal.string_if_invalid,
        file_charset=portal.file_charset,
        libraries=portal.libraries,
        builtins=[name for name in portal.builtins if name not in Engine.default_builtins],
        autoescape=portal.autoescape,
    )
    return engine.from_string(FLOOR_TEMPLATE)


def floor(request: HttpRequest) -> HttpResponse:
    """The framework's floor: one query of its own, the layout for the logged-in user, the same middleware."""
    person = Person.objects.filter(user=request.user).first()
    context = {
        "college_short_name": settings.COLLEGE_SHORT_NAME,
        "my_roles": {"person": person},
        "main_menu": [],
        "attention_count": 0,
    }
    return HttpResponse(_floor_template().render(make_context(context, request)))


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *portal_urlpatterns]
