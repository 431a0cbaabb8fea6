"""Recompute the SHA-256 of every fixed document from the database and compare it with the stored one.

    manage.py verify_documents

Covers signed (and later cancelled) orders, protocols with at least one signature and approved plan versions.
Prints every mismatch and exits with status 1 if there is any, so a backup check or a cron job can alarm on it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from planning.models import Meeting, PlanVersion
from planning.signing import protocol_verification, version_verification
from structure.models import Order, OrderStatus
from structure.signing import order_verification


class Command(BaseCommand):
    help = "Check the stored SHA-256 of every signed order, signed protocol and approved plan version."

    def handle(self, *args, **options):
        failures: list[str] = []
        counts = {"orders": 0, "protocols": 0, "plan versions": 0}

        orders = Order.objects.filter(status__in=[OrderStatus.SIGNED, OrderStatus.CANCELLED])
        for order in orders.prefetch_related("clauses__actions", "approvals").order_by("pk"):
            counts["orders"] += 1
            result = order_verification(order)
            if not result.ok:
                failures.append(
                    f"order #{order.pk} № {order.registration_number}: {result.stored} != {result.computed}"
                )

        meetings = Meeting.objects.filter(Q(chair_signed_at__isnull=False) | Q(secretary_signed_at__isnull=False))
        for meeting in meetings.order_by("pk"):
            counts["protocols"] += 1
            result = protocol_verification(meeting)
            if result is None or not result.ok:
                stored, computed = (result.stored, result.computed) if result else (meeting.content_hash, "no snapshot")
                failures.append(f"protocol of meeting #{meeting.pk} № {meeting.number}: {stored} != {computed}")

        for version in PlanVersion.objects.order_by("pk"):
            counts["plan versions"] += 1
            result = version_verification(version)
            if not result.ok:
                failures.append(
                    f"plan #{version.plan_id} version {version.number}: {result.stored} != {result.computed}"
                )

        summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
        if failures:
            for line in failures:
                self.stderr.write(self.style.ERROR(f"MISMATCH {line}"))
            raise CommandError(f"{len(failures)} document(s) do not match their stored SHA-256 ({summary}).")
        self.stdout.write(self.style.SUCCESS(f"All documents match their stored SHA-256 ({summary})."))
