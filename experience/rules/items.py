"""Permissions of experience/: items (filled with its pages)."""
