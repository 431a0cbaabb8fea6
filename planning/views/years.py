"""Stubs until this module is written: each view answers 404."""

from django.http import Http404


def py(request, **kwargs):
    raise Http404


def year_list(request, **kwargs):
    raise Http404


def year_create(request, **kwargs):
    raise Http404


def year_edit(request, **kwargs):
    raise Http404


def year_make_current(request, **kwargs):
    raise Http404


def theme_create(request, **kwargs):
    raise Http404


def theme_edit(request, **kwargs):
    raise Http404
