"""Role-matrix rows of the competency framework pages (attestation/views/frameworks.py).

The framework: an editable copy of the default one (migration 0004), made for each URL's test (rolled back after
it); the competency: its last labour function, F/02.7, which has no parts. Everyone on the staff and the administrator
see frameworks and download them; a researcher gets 403 on the list and 404 on a framework. The methodist and the
deputy create, import, edit, copy and delete; everyone else on the staff gets 403.
"""

from __future__ import annotations

from attestation.models import Competency, CompetencyFramework
from attestation.services import frameworks as services
from tests.matrix import DRAFTERS, STAFF_AND_ADMIN, Case, get, post


def editable(world) -> CompetencyFramework:
    existing = CompetencyFramework.objects.filter(version=2, based_on__version=1).first()
    if existing is not None:
        return existing
    original = CompetencyFramework.objects.filter(version=1, name__startswith="Профессиональный стандарт").get()
    return services.framework_copy(framework=original, by=world.people["methodist"])


framework = lambda w: {"pk": editable(w).pk}  # noqa: E731
competency = lambda w: {"pk": Competency.objects.get(framework=editable(w), code="F/02.7").pk}  # noqa: E731
HIDDEN = ["researcher"]

MATRIX: dict[str, Case] = {
    "attestation:framework_list": get(STAFF_AND_ADMIN),
    "attestation:framework_create": get(DRAFTERS),
    "attestation:framework_import": get(DRAFTERS),
    "attestation:framework_detail": get(STAFF_AND_ADMIN, framework, hidden=HIDDEN),
    "attestation:framework_export": get(STAFF_AND_ADMIN, framework, hidden=HIDDEN),
    "attestation:framework_edit": get(DRAFTERS, framework, hidden=HIDDEN),
    "attestation:framework_levels": get(DRAFTERS, framework, hidden=HIDDEN),
    "attestation:framework_reimport": get(DRAFTERS, framework, hidden=HIDDEN),
    "attestation:framework_copy": post(DRAFTERS, framework, hidden=HIDDEN),
    "attestation:framework_delete": get(DRAFTERS, framework, hidden=HIDDEN),
    "attestation:competency_add": get(DRAFTERS, framework, hidden=HIDDEN),
    "attestation:competency_edit": get(DRAFTERS, competency, hidden=HIDDEN),
    "attestation:competency_delete": get(DRAFTERS, competency, hidden=HIDDEN),
}
