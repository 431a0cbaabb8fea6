"""Permissions of experience/: visits (filled with its pages)."""
