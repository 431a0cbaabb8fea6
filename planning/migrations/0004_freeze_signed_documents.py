"""Freeze earlier approved plan versions (approver's name and position, hash) and signed protocols (snapshot of what
they print, hash) in the canonical form of planning.signing. The names are the best record left: those the people
bear when this migration runs."""

from django.db import migrations
from django.db.models import Q


def _full_name(person) -> str:
    return " ".join(part for part in (person.last_name, person.first_name, person.patronymic) if part)


def freeze(apps, schema_editor):
    from planning.signing import version_hash

    PlanVersion = apps.get_model("planning", "PlanVersion")
    for version in PlanVersion.objects.select_related("approved_by", "plan"):
        if not version.approved_by_name:
            version.approved_by_name = _full_name(version.approved_by)
            version.approved_by_position = version.plan.approved_by_position
        version.content_hash = version_hash(version)
        version.save(update_fields=["approved_by_name", "approved_by_position", "content_hash"])

    Meeting = apps.get_model("planning", "Meeting")
    signed = Meeting.objects.filter(Q(chair_signed_at__isnull=False) | Q(secretary_signed_at__isnull=False))
    if not signed.filter(snapshot__isnull=True).exists():
        return
    # The snapshot is what the protocol prints: built by the same function that signing uses, on real models.
    from planning import selectors, signing

    for meeting in signed.filter(snapshot__isnull=True):
        loaded = selectors.protocol_document(meeting.pk).get()
        meeting.snapshot = signing.protocol_content(loaded)
        meeting.content_hash = signing.sha256_of(
            {
                "protocol": meeting.snapshot,
                "chair_signed_at": signing.moment(meeting.chair_signed_at),
                "secretary_signed_at": signing.moment(meeting.secretary_signed_at),
            }
        )
        meeting.save(update_fields=["snapshot", "content_hash"])


class Migration(migrations.Migration):
    dependencies = [("planning", "0003_history_and_frozen_documents"), ("structure", "0004_freeze_signed_orders")]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
