"""Placeholder: filled by the cases work."""

urls: list = []
