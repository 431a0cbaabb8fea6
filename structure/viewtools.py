"""The acting person of a request, for the views of every app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import Person
from .selectors import roles_of


def me(request: HttpRequest) -> Person:
    """The person behind the account; an account without one (the administrator) may not act."""
    person = roles_of(request.user).person
    if person is None:
        raise PermissionDenied
    return person
