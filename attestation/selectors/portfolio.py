"""Reads of attestation/: the self-assembling portfolio.

Contract used by the category cases (attestation.services.cases freezes the portfolio at submission):
`portfolio_content(portfolio)` returns a JSON-serialisable dict of what the portfolio prints (only the entries the
person picked); `attestation.documents.portfolio_pdf(content)` renders such a dict as a PDF.
"""

from __future__ import annotations

from ..models import Portfolio


def portfolio_content(portfolio: Portfolio) -> dict:
    """What the portfolio prints now: header, sections, entries picked. JSON-serialisable."""
    raise NotImplementedError
