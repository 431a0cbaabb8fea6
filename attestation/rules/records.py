"""Permissions of attestation/: records."""
