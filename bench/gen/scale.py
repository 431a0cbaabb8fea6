"""The two sizes the benchmark builds: one college, and a region that hosts the portal for its colleges (or ten years
of one college's history). Every generator module reads its volumes from here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    staff: int
    units: int
    years: int
    plan_items: int
    meetings: int
    orders: int
    pd_records: int
    attestation_cases: int
    assessments: int
    levels: int
    experience_items: int


COLLEGE = Scale(
    name="college",
    staff=300,
    units=12,
    years=3,
    plan_items=9_000,
    meetings=100,
    orders=50,
    pd_records=900,
    attestation_cases=450,
    assessments=1_800,
    levels=30_000,
    experience_items=600,
)

REGION = Scale(
    name="region",
    staff=3_000,
    units=100,
    years=10,
    plan_items=100_000,
    meetings=1_000,
    orders=500,
    pd_records=30_000,
    attestation_cases=15_000,
    assessments=60_000,
    levels=1_000_000,
    experience_items=20_000,
)

SCALES = {scale.name: scale for scale in (COLLEGE, REGION)}

#: Every generated account signs in with this password (the benchmark's load run logs in through the form).
PASSWORD = "bench"
