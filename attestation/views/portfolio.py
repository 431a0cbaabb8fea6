"""Placeholder: filled by the portfolio work."""

urls: list = []
