"""Verification pages of planning's fixed documents: where the QR code on a signed protocol's or an approved plan's
PDF leads (metodservice/common/qr.py).

The link names the meeting or the plan and the first digits of the SHA-256 the document was printed with. To a user
who may see it (planning.view_meeting, planning.view_plan) the page shows the registration data and whether the
printed copy is of the document as stored and the stored document still matches its signature or approval; anyone
else gets 404, as on the document's own page, and an anonymous visitor the login page, which brings them back.
A plan's link finds the edition it was printed from among the plan's versions, so a copy of an earlier edition is
told apart from the one in force. A document never signed or approved has nothing to verify: 404.
"""

from __future__ import annotations

import rules
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from metodservice.common.qr import PrintedCheck, printed_from

from .. import signing
from ..models import Meeting, Plan


def _visible(request: HttpRequest, queryset, pk: int, perm: str):
    obj = get_object_or_404(queryset, pk=pk)
    # rules.has_perm, not user.has_perm: the superuser administers accounts but takes no business decisions.
    if not rules.has_perm(perm, request.user, obj):
        raise Http404
    return obj


@require_GET
def protocol_verify(request: HttpRequest, pk: int, digest: str) -> HttpResponse:
    meeting = _visible(request, Meeting.objects.select_related("unit", "year"), pk, "planning.view_meeting")
    verification = signing.protocol_verification(meeting)
    if verification is None:
        raise Http404
    check = PrintedCheck(printed=digest, verification=verification)
    return render(
        request,
        "verify/protocol.html",
        {"meeting": meeting, "protocol": meeting.snapshot or {}, "check": check},
    )


@require_GET
def plan_verify(request: HttpRequest, pk: int, digest: str) -> HttpResponse:
    plan = _visible(request, Plan.objects.select_related("year", "unit", "person"), pk, "planning.view_plan")
    versions = list(plan.versions.order_by("number"))
    if not versions:
        raise Http404
    in_force = versions[-1]
    printed = next((v for v in versions if printed_from(digest, v.content_hash)), None)
    version = printed or in_force
    check = PrintedCheck(printed=digest, verification=signing.version_verification(version))
    return render(
        request,
        "verify/plan.html",
        {"plan": plan, "version": version, "in_force": in_force, "check": check},
    )
