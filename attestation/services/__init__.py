"""Writes of attestation/ (atomic, validated), one module per area; callers import the module they need."""
