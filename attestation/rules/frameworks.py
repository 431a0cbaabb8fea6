"""Permissions of attestation/: frameworks (filled by the diagnostics work)."""

import rules  # noqa: F401
