"""Permissions of attestation/: conformity (filled by that work)."""

import rules  # noqa: F401
