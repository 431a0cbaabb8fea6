"""Role-matrix rows of the experimental lab's pages (experience/views/lab.py), on the data of
tests/experience/lab_data.py: the world's lab runs an experiment whose results are not published.

Who sees it: the lab's head and its external researcher, the council (`chair`, `secretary`; the methodist is a
member too), management and the administrator; the other staff get 404 until the results are published. The
programme, stages and indicators: the lab's head, the methodist and the deputy. Measurements: the lab's members (the
head and the researcher); the researcher's own measurement is deleted by the researcher or the head. The results:
the lab's head.
"""

from __future__ import annotations

from tests.experience.lab_data import EDITORS, FULL, MEMBERS, NOT_SEEING, lab_data
from tests.matrix import EVERYONE, Case, get, post

experiment = lambda w: {"pk": lab_data(w).experiment.pk}  # noqa: E731
stage = lambda w: {"pk": lab_data(w).stages[-1].pk}  # noqa: E731
indicator = lambda w: {"pk": lab_data(w).pass_rate.pk}  # noqa: E731
measurement = lambda w: {"pk": lab_data(w).by_researcher.pk}  # noqa: E731

MATRIX: dict[str, Case] = {
    "experience:experiment_list": get(EVERYONE, lambda w: (lab_data(w), {})[1]),
    "experience:experiment_add": get(EDITORS, lambda w: (lab_data(w), {})[1]),
    "experience:experiment_detail": get(FULL, experiment, hidden=NOT_SEEING),
    "experience:experiment_pdf": get(FULL, experiment, hidden=NOT_SEEING),
    "experience:experiment_edit": get(EDITORS, experiment, hidden=NOT_SEEING),
    "experience:experiment_delete": get(EDITORS, experiment, hidden=NOT_SEEING),
    "experience:experiment_stage_add": get(EDITORS, experiment, hidden=NOT_SEEING),
    "experience:experiment_stage_edit": get(EDITORS, stage, hidden=NOT_SEEING),
    "experience:experiment_stage_delete": post(EDITORS, stage, hidden=NOT_SEEING),
    "experience:experiment_indicator_add": get(EDITORS, experiment, hidden=NOT_SEEING),
    "experience:experiment_indicator_edit": get(EDITORS, indicator, hidden=NOT_SEEING),
    "experience:experiment_indicator_delete": post(EDITORS, indicator, hidden=NOT_SEEING),
    "experience:experiment_measurement_add": get(MEMBERS, experiment, hidden=NOT_SEEING),
    "experience:experiment_measurement_delete": post(MEMBERS, measurement, hidden=NOT_SEEING),
    "experience:experiment_results": get(["lab_head"], experiment, hidden=NOT_SEEING),
    "experience:experiment_publish": post(["lab_head"], experiment, hidden=NOT_SEEING),
    "experience:experiment_unpublish": post(["lab_head"], experiment, hidden=NOT_SEEING),
}
