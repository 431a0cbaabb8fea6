"""Role-matrix rows of the academic years and the single methodological theme (planning/views/years.py)."""

from tests.matrix import DRAFTERS, STAFF_AND_ADMIN, get, post

MATRIX = {
    "planning:year_list": get(STAFF_AND_ADMIN),
    "planning:year_create": get(DRAFTERS),
    "planning:year_edit": get(DRAFTERS, lambda w: {"pk": w.year.pk}),
    "planning:year_make_current": post(DRAFTERS, lambda w: {"pk": w.past_year.pk}),
    "planning:theme_create": get(DRAFTERS),
    "planning:theme_edit": get(DRAFTERS, lambda w: {"pk": w.theme.pk}),
}
