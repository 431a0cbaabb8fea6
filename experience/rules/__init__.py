"""Permissions of experience/ (rules, autodiscovered as `experience.rules`), one module per area."""

from . import catalogue, items, lab, visits  # noqa: F401  (each module registers its rules)
