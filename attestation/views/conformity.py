"""Placeholder: filled by the conformity work."""

urls: list = []
