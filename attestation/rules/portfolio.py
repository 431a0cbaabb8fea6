"""Permissions of attestation/: portfolio (filled by that work)."""

import rules  # noqa: F401
