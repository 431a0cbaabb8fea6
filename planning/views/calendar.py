"""Stubs until this module is written: each view answers 404."""

from django.http import Http404


def py(request, **kwargs):
    raise Http404


def calendar_view(request, **kwargs):
    raise Http404


def feed_settings(request, **kwargs):
    raise Http404


def ical_feed(request, **kwargs):
    raise Http404
