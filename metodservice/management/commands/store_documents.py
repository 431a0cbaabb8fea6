"""Queue the rendering of every fixed document whose PDF is not stored yet.

    manage.py store_documents

Signed (and cancelled) orders and the approved plan versions in force are rendered once, by the worker, when they are
fixed (metodservice.common.documents). Data signed before the portal stored PDFs, or restored without the media
folder, gets them with this command; a document already stored is left alone. Prints how many were queued.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import F

from planning.models import PlanStatus, PlanVersion
from planning.tasks import store_version_pdf
from structure.models import Order, OrderStatus
from structure.tasks import store_order_pdf


class Command(BaseCommand):
    help = "Queue the PDFs of signed orders and approved plan versions that are not stored yet."

    def handle(self, *args, **options):
        orders = Order.objects.filter(status__in=[OrderStatus.SIGNED, OrderStatus.CANCELLED], pdf="")
        order_ids = list(orders.order_by("pk").values_list("pk", flat=True))
        versions = PlanVersion.objects.filter(pdf="", number=F("plan__version"), plan__status=PlanStatus.APPROVED)
        version_ids = list(versions.order_by("pk").values_list("pk", flat=True))
        for pk in order_ids:
            store_order_pdf.enqueue(pk)
        for pk in version_ids:
            store_version_pdf.enqueue(pk)
        self.stdout.write(f"orders: {len(order_ids)}, plan versions: {len(version_ids)} queued")
