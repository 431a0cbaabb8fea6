"""Demo experience on top of the demo college (structure/demo.py, planning/demo.py), composed from each area's part:
the items through their whole way to the catalogue (experience.demo_items: every status, council meetings with the
items' questions, outside experience, generalised experience with its stages, real PDF files), the catalogue's
download counts and recent publications (experience.demo_catalogue), lesson visits and adoptions
(experience.demo_visits), and the lab's experiment with its indicators and measurements (experience.demo_lab).

Development only (`manage.py seed_demo`, composed by metodservice/demo.py before attestation, whose portfolio reads
these items).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from structure.demo import Builder


def build(b: Builder) -> None:
    from .demo_catalogue import build_catalogue_demo
    from .demo_items import build_items_demo
    from .demo_lab import build_lab_demo
    from .demo_visits import build_visits_demo

    build_items_demo(b)
    build_catalogue_demo(b)
    build_visits_demo(b)
    build_lab_demo(b)
