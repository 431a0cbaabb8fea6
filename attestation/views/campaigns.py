"""Placeholder: filled by the diagnostics work (campaigns)."""

urls: list = []
