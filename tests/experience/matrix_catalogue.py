"""Role-matrix rows of the catalogue (experience/views/catalogue.py): the catalogue, its XLSX export and an author's
page are open to everyone on the staff and the administrator; the external researcher gets 403."""

from __future__ import annotations

from tests.matrix import STAFF_AND_ADMIN, Case, get

teacher = lambda w: {"pk": w.people["teacher"].pk}  # noqa: E731

MATRIX: dict[str, Case] = {
    "experience:catalogue": get(STAFF_AND_ADMIN),
    "experience:catalogue_xlsx": get(STAFF_AND_ADMIN),
    "experience:author": get(STAFF_AND_ADMIN, teacher),
}
