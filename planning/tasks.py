"""Background tasks of planning/ (Django's Tasks framework; metodservice.common.documents)."""

from __future__ import annotations

from django.tasks import task

from metodservice.common.documents import store_fixed_pdf

from .models import PlanVersion


@task()
def store_version_pdf(version_id: int) -> None:
    """Render an approved plan version's PDF once — the plan as it was approved — and store it with its SHA-256."""
    from .reports import plan_pdf

    version = PlanVersion.objects.select_related("plan").filter(pk=version_id).first()
    if version is not None and version.plan.version == version.number:
        store_fixed_pdf(version, plan_pdf(version.plan))
