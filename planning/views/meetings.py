"""Stubs until this module is written: each view answers 404."""

from django.http import Http404


def py(request, **kwargs):
    raise Http404


def meeting_list(request, **kwargs):
    raise Http404


def meeting_create(request, **kwargs):
    raise Http404


def meeting_detail(request, **kwargs):
    raise Http404


def meeting_edit(request, **kwargs):
    raise Http404


def attendance_edit(request, **kwargs):
    raise Http404


def guest_add(request, **kwargs):
    raise Http404


def guest_delete(request, **kwargs):
    raise Http404


def agenda_add(request, **kwargs):
    raise Http404


def agenda_edit(request, **kwargs):
    raise Http404


def agenda_delete(request, **kwargs):
    raise Http404


def decision_add(request, **kwargs):
    raise Http404


def decision_delete(request, **kwargs):
    raise Http404


def protocol_sign(request, **kwargs):
    raise Http404


def decision_list(request, **kwargs):
    raise Http404


def decision_mark(request, **kwargs):
    raise Http404
