"""Permissions of attestation/: suggestions for deficits (filled by the diagnostics work)."""

import rules  # noqa: F401
