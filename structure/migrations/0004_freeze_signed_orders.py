"""Freeze what earlier signed orders print (signer, visas, college, acknowledgement names) and store their hash in
the canonical form of structure.signing, which survives a database round trip. The names are the best record
left: the ones the people bear when this migration runs."""

from django.conf import settings
from django.db import migrations


def _full_name(person) -> str:
    return " ".join(part for part in (person.last_name, person.first_name, person.patronymic) if part)


def freeze(apps, schema_editor):
    from structure.signing import order_hash

    Order = apps.get_model("structure", "Order")
    for order in Order.objects.filter(status__in=["signed", "cancelled"]).select_related("signer"):
        for approval in order.approvals.select_related("person__position"):
            if not approval.person_name:
                approval.person_name = _full_name(approval.person)
                position = approval.person.position
                approval.person_position = position.name if position else approval.person.organisation
                approval.save(update_fields=["person_name", "person_position"])
        for ack in order.acknowledgements.select_related("person"):
            if not ack.person_name:
                ack.person_name = _full_name(ack.person)
                ack.save(update_fields=["person_name"])
        if not order.signer_name and order.signer_id:
            order.signer_name = _full_name(order.signer)
        if not order.organisation:
            order.organisation = settings.COLLEGE_NAME
        order.content_hash = order_hash(order)
        order.save(update_fields=["signer_name", "organisation", "content_hash"])


class Migration(migrations.Migration):
    dependencies = [("structure", "0003_history_and_frozen_documents")]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
