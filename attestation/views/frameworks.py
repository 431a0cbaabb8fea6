"""Placeholder: filled by the diagnostics work (frameworks)."""

urls: list = []
