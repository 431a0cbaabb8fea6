"""Stubs until this module is written: each view answers 404."""

from django.http import Http404


def py(request, **kwargs):
    raise Http404


def plan_pdf(request, **kwargs):
    raise Http404


def plan_xlsx(request, **kwargs):
    raise Http404


def protocol_pdf(request, **kwargs):
    raise Http404


def decisions_xlsx(request, **kwargs):
    raise Http404
