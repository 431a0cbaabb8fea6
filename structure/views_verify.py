"""The verification page of a signed order: where the QR code on its PDF leads (metodservice/common/qr.py).

The link names the order and the first digits of the SHA-256 it was printed with. To a user who may open the order
(the same rule as its page: `selectors.orders_visible_to`) the page shows the order's registration data and whether
the printed copy is of this order as stored and the stored order still matches its signature; anyone else gets 404,
and an anonymous visitor the login page, which brings them back here. A draft has nothing to verify: 404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from metodservice.common.qr import PrintedCheck

from . import selectors
from .selectors import roles_of
from .signing import order_verification


@require_GET
def order_verify(request: HttpRequest, pk: int, digest: str) -> HttpResponse:
    visible = selectors.orders_visible_to(roles_of(request.user)).values("pk")
    order = get_object_or_404(selectors.order_detail(pk).filter(pk__in=visible))
    verification = order_verification(order)
    if verification is None:
        raise Http404
    check = PrintedCheck(printed=digest, verification=verification)
    return render(request, "verify/order.html", {"order": order, "check": check})
