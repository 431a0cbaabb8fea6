"""Reads of attestation/ that cross relations, one module per area; callers import the module they need."""
