"""Background tasks of structure/ (Django's Tasks framework; metodservice.common.documents)."""

from __future__ import annotations

from django.tasks import task

from metodservice.common.documents import store_fixed_pdf

from .models import Order


@task()
def store_order_pdf(order_id: int) -> None:
    """Render a signed order's PDF once and store it with its SHA-256 (after signing, and again after an
    acknowledgement or a cancellation changes what its last pages print)."""
    from .reports import order_pdf

    order = Order.objects.filter(pk=order_id).first()
    if order is not None and order.is_signed:
        store_fixed_pdf(order, order_pdf(order))
