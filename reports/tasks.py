"""The background step of freezing a report: its PDF laid out once from the frozen HTML and stored with its hash."""

from django.tasks import task

from metodservice.common.documents import store_fixed_pdf
from metodservice.common.pdf import html_to_pdf

from .models import FrozenReport


@task()
def store_frozen_pdf(pk: int) -> None:
    frozen = FrozenReport.objects.filter(pk=pk).first()
    if frozen is None or frozen.pdf:  # removed, or stored already: a frozen PDF is laid out once
        return
    store_fixed_pdf(frozen, html_to_pdf(frozen.html))
