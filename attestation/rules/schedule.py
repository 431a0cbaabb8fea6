"""Permissions of attestation/: schedule."""
