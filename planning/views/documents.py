"""Documents: a plan as PDF or XLSX, a meeting's protocol as PDF, the decision register as XLSX.

A plan or a meeting out of the user's reach answers 404, as its page does; the register answers 403 to those
who may not list decisions.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from metodservice.common import uploads
from metodservice.common.documents import document_response, fixed_pdf_response
from metodservice.common.xlsx import xlsx_response

from .. import reports, resources, selectors
from ..forms.meetings import DecisionFilter
from ..models import Meeting, Plan, PlanItem, PlanVersion


def _visible(request: HttpRequest, queryset, pk: int, perm: str):
    obj = get_object_or_404(queryset, pk=pk)
    # rules.has_perm, not user.has_perm: the superuser administers accounts but takes no business decisions.
    if not rules.has_perm(perm, request.user, obj):
        raise Http404
    return obj


def _visible_plan(request: HttpRequest, pk: int) -> Plan:
    return _visible(request, Plan.objects.select_related("year", "unit", "person"), pk, "planning.view_plan")


@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    return document_response(
        request, reports.plan_template(plan), reports.plan_document_context(plan), reports.plan_filename(plan, "pdf")
    )


@require_GET
def version_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """An approved version's PDF as it was approved, stored when it was approved (404 until the worker stored it)."""
    plan = _visible_plan(request, pk)
    version = get_object_or_404(PlanVersion, plan=plan, number=number)
    filename = reports.plan_filename(plan, "pdf").removesuffix(".pdf") + f"_версия_{version.number}.pdf"
    response = fixed_pdf_response(version, filename)
    if response is None:
        raise Http404
    return response


@require_GET
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    return xlsx_response(reports.plan_filename(plan, "xlsx"), **reports.plan_table(plan))


@require_GET
def protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible(request, Meeting.objects.select_related("unit"), pk, "planning.view_meeting")
    return document_response(
        request,
        reports.PROTOCOL_TEMPLATE,
        reports.protocol_document_context(meeting),
        reports.protocol_filename(meeting),
    )


@require_GET
def decisions_xlsx(request: HttpRequest) -> HttpResponse:
    """The register as filtered on its page: the same filter, the same query parameters."""
    if not rules.has_perm("planning.list_decisions", request.user):
        raise PermissionDenied
    today = timezone.localdate()
    register = DecisionFilter(
        request.GET or None, queryset=selectors.decisions_register(), request=request, today=today
    )
    headers, rows = resources.decisions_table(register.qs)
    return xlsx_response(reports.decisions_filename(today), sheet_title=_("Decisions"), headers=headers, rows=rows)


@require_GET
def item_evidence(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    """An item's evidence file, to those who may see the plan: uploads are never served straight from MEDIA_ROOT,
    and always as an attachment of a safe type (metodservice.common.uploads), so an uploaded file never runs as the portal."""
    plan = _visible_plan(request, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan)
    if not item.evidence_file:
        raise Http404
    name = _("Evidence for item %(item)s of plan %(plan)s") % {"item": item.position, "plan": plan.pk}
    return uploads.attachment_response(item.evidence_file, kind=uploads.EVIDENCE, filename=name)
