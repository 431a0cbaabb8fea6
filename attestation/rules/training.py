"""Permissions of attestation/: training."""
