"""Permissions of attestation/: campaigns (filled by the diagnostics work)."""

import rules  # noqa: F401
