"""Placeholder: filled by the diagnostics work (results)."""

urls: list = []
