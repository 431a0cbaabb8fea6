"""Permissions of experience/: the experimental lab's work (experiments, their stages, indicators, measurements and
results). Roles are those of today (structure.selectors.roles_of).

- The list of experiments: everyone with an account (it shows what experience.selectors.lab.experiments_visible_to
  gives them).
- An experiment's page and its PDF (`view_experiment`): in full, the lab's members today (external researchers
  included) and its head, the members of the methodological council, the methodist, the deputy, the director and
  the administrator (`view_experiment_details`: the log of measurements and the change log); once its results are
  published, every member of the staff too (the programme, the indicators, the chart and the results). Nobody else:
  the page answers 404.
- A new experiment: the methodist and the deputy (any lab), the head of a lab (their lab).
- The programme, its stages and indicators, deleting the experiment: the methodist, the deputy and the lab's head.
- Entering a measurement: the lab's members today, its researchers and head included.
- Deleting a measurement: the person who entered it while they are in the lab, and the lab's head.
- Writing, publishing and withdrawing the results: the lab's head.
"""

import rules

from structure.rules import has_person, is_admin
from structure.selectors import roles_of

from ..selectors.lab import edits_every_programme, headed_labs, labs_of, sees, sees_fully


@rules.predicate
def sees_experiment(user, experiment) -> bool:
    return experiment is not None and sees(roles_of(user), experiment)


@rules.predicate
def sees_experiment_fully(user, experiment) -> bool:
    return experiment is not None and sees_fully(roles_of(user), experiment)


@rules.predicate
def keeps_every_programme(user) -> bool:
    return edits_every_programme(roles_of(user))


@rules.predicate
def heads_a_lab(user) -> bool:
    return bool(headed_labs(roles_of(user)))


@rules.predicate
def heads_the_lab(user, experiment) -> bool:
    return experiment is not None and experiment.lab_id in headed_labs(roles_of(user))


@rules.predicate
def in_the_lab(user, experiment) -> bool:
    return experiment is not None and experiment.lab_id in labs_of(roles_of(user))


@rules.predicate
def entered_the_measurement(user, measurement) -> bool:
    person = roles_of(user).person
    return (
        measurement is not None
        and person is not None
        and measurement.entered_by_id == person.pk
        and measurement.indicator.experiment.lab_id in labs_of(roles_of(user))
    )


@rules.predicate
def heads_the_measurements_lab(user, measurement) -> bool:
    return measurement is not None and measurement.indicator.experiment.lab_id in headed_labs(roles_of(user))


keeps_the_programme = keeps_every_programme | heads_the_lab

rules.add_perm("experience.list_experiments", is_admin | has_person)
rules.add_perm("experience.view_experiment", sees_experiment)
rules.add_perm("experience.view_experiment_details", sees_experiment_fully)
rules.add_perm("experience.add_experiment", keeps_every_programme | heads_a_lab)
rules.add_perm("experience.change_experiment", keeps_the_programme)
rules.add_perm("experience.delete_experiment", keeps_the_programme)
rules.add_perm("experience.add_measurement", in_the_lab)
rules.add_perm("experience.delete_measurement", entered_the_measurement | heads_the_measurements_lab)
rules.add_perm("experience.write_results", heads_the_lab)
