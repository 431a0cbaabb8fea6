"""Permissions of experience/: lab (filled with its pages)."""
