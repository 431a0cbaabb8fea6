"""Permissions of attestation/ (rules, autodiscovered as `attestation.rules`), one module per area."""

from . import cases, conformity, portfolio, records, schedule, training  # noqa: F401  (each module registers its rules)
