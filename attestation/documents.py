"""Documents of attestation/ printed as PDF, each from a dict that may be a frozen snapshot (never live rows)."""

from __future__ import annotations


def portfolio_pdf(content: dict) -> bytes:
    """The portfolio as PDF, from `attestation.selectors.portfolio.portfolio_content` (or its frozen copy): the
    header, then each section that has entries, numbered; professional development with its hours in all. Only the
    dict is read, so a copy frozen at submission prints as it was."""
    from metodservice.common.pdf import render_pdf

    header = content.get("header", {})
    sections = [section for section in content.get("sections", []) if section.get("entries")]
    return render_pdf("attestation/portfolio/pdf.html", {"h": header, "sections": sections})
