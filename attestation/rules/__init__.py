"""Permissions of attestation/ (rules, autodiscovered as `attestation.rules`), one module per area."""

from . import (  # noqa: F401  (each module registers its rules)
    campaigns,
    cases,
    conformity,
    frameworks,
    portfolio,
    records,
    results,
    schedule,
    suggestions,
    training,
)
