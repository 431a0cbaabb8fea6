"""Permissions of attestation/: results (filled by the diagnostics work)."""

import rules  # noqa: F401
