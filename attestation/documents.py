"""Documents of attestation/ printed as PDF, each from a dict that may be a frozen snapshot (never live rows)."""

from __future__ import annotations

PORTFOLIO_TEMPLATE = "attestation/portfolio/pdf.html"


def portfolio_context(content: dict) -> dict:
    """What the portfolio's PDF prints, from `attestation.selectors.portfolio.portfolio_content` (or its frozen copy):
    the header, then each section that has entries, numbered; professional development with its hours in all. Only
    the dict is read, so a copy frozen at submission prints as it was."""
    header = content.get("header", {})
    sections = [section for section in content.get("sections", []) if section.get("entries")]
    return {"h": header, "sections": sections}


def portfolio_pdf(content: dict) -> bytes:
    """The portfolio as PDF, rendered here (the demo, tests); a view asks for a background document."""
    from metodservice.common.pdf import render_pdf

    return render_pdf(PORTFOLIO_TEMPLATE, portfolio_context(content))
