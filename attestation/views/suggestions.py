"""Placeholder: filled by the diagnostics work (suggestions)."""

urls: list = []
