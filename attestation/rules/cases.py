"""Permissions of attestation/: cases (filled by that work)."""

import rules  # noqa: F401
