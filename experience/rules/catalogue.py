"""Permissions of experience/: catalogue (filled with its pages)."""
