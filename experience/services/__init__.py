"""Writes of experience/ (atomic, validated), one module per area; callers import the module they need."""
