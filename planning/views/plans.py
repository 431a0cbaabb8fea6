"""Stubs until this module is written: each view answers 404."""

from django.http import Http404


def py(request, **kwargs):
    raise Http404


def plan_list(request, **kwargs):
    raise Http404


def plan_create(request, **kwargs):
    raise Http404


def plan_detail(request, **kwargs):
    raise Http404


def plan_edit(request, **kwargs):
    raise Http404


def item_add(request, **kwargs):
    raise Http404


def item_edit(request, **kwargs):
    raise Http404


def item_delete(request, **kwargs):
    raise Http404


def item_mark(request, **kwargs):
    raise Http404


def plan_submit(request, **kwargs):
    raise Http404


def plan_approve(request, **kwargs):
    raise Http404


def plan_return(request, **kwargs):
    raise Http404


def plan_amend(request, **kwargs):
    raise Http404


def execution_stats(request, **kwargs):
    raise Http404
