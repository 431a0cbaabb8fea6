"""Reads of experience/ that cross relations, one module per area; callers import the module they need."""
