"""Documents of attestation/ printed as PDF, each from a dict that may be a frozen snapshot (never live rows)."""

from __future__ import annotations


def portfolio_pdf(content: dict) -> bytes:
    """The portfolio as PDF, from `attestation.selectors.portfolio.portfolio_content` (or its frozen copy)."""
    raise NotImplementedError
