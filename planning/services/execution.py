"""Recording the execution of an approved plan's items: status, report and evidence file or link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from metodservice.common import uploads

from ..models import ItemStatus, PlanItem

#: An evidence link: an http(s) address whose host may be a single name of the intranet (http://fileserver/x), as
#: the model allows; any other scheme (javascript:, data:, file:) is refused with code `evidence_link`.
evidence_link_validator = RegexValidator(
    r"^https?://[^\s/?#]+(?:[/?#]\S*)?\Z",
    _lazy("Enter a link starting with http:// or https://, e.g. http://fileserver/reports/1.pdf."),
    code="evidence_link",
)


@transaction.atomic
def item_mark(
    *,
    item: PlanItem,
    status: str,
    report: str = "",
    evidence_file=None,
    evidence_link: str = "",
) -> PlanItem:
    """Record execution of an item of an approved plan: done, postponed or cancelled need a short report.

    An evidence file is checked by metodservice.common.uploads (type by content, size, name; refused with field
    evidence_file and the check's code, nothing saved), stored under a random name and replaces the previous file,
    which is removed from storage once the transaction commits."""
    item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=item.pk)
    if not item.plan.is_approved_once:
        raise ValidationError(_("Execution is recorded on approved plans only."), code="plan_not_approved")
    if status not in ItemStatus.values:
        raise ValidationError({"status": ValidationError(_("Unknown execution status."), code="status")})
    report = report.strip()
    if status in {ItemStatus.DONE, ItemStatus.POSTPONED, ItemStatus.CANCELLED} and not report:
        raise ValidationError(
            {"report": ValidationError(_("Write a short report: what was done, or why not."), code="report_required")}
        )
    upload = None
    if evidence_file:
        try:
            upload = uploads.check_upload(evidence_file, uploads.EVIDENCE)
        except ValidationError as error:
            raise ValidationError({"evidence_file": error}) from None
    replaced = item.evidence_file.name if upload else ""
    item.status = status
    item.report = report
    if upload:
        # Stored under a random name; the history row shows the old and the new stored name, and its reason the
        # name the file was uploaded under.
        item.evidence_file = upload.stored_file()
        reason = (_("Evidence file uploaded: «%(name)s»") % {"name": upload.original_name})[:100]
        item._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history when saving
    if evidence_link:
        evidence_link = evidence_link.strip()
        try:
            evidence_link_validator(evidence_link)
        except ValidationError as error:
            raise ValidationError({"evidence_link": error}) from None
        item.evidence_link = evidence_link
    item.status_changed_at = timezone.now()
    item.full_clean(exclude=["responsible"])
    try:
        item.save()
    except Exception:
        if upload and item.evidence_file.name and item.evidence_file.name != replaced:
            item.evidence_file.storage.delete(item.evidence_file.name)
        raise
    if replaced and replaced != item.evidence_file.name:
        uploads.delete_on_commit(item.evidence_file.storage, replaced)
    return item
