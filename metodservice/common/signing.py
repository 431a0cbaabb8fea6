"""The canonical form of a fixed document (a signed order or protocol, an approved plan version) and its SHA-256.

What a signature covers is a plain dict built from stored, frozen values only. It is hashed as canonical JSON
(sorted keys, no spaces, UTF-8), with every moment written in UTC to the microsecond, so the same document hashes
the same after a round trip through any database: PostgreSQL gives datetimes back in UTC, SQLite as stored,
and a `+03:00` offset never reaches the hash. Imports no app.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass


def moment(value: datetime.datetime | None) -> str | None:
    """A moment in the canonical form: UTC, microseconds, «Z»."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("a naive datetime has no canonical form")
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def canonical_json(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_of(payload: dict) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verification:
    """The result of checking a stored hash against the stored content: shown on every display of the document."""

    stored: str
    computed: str

    @property
    def ok(self) -> bool:
        return bool(self.stored) and self.stored == self.computed


def verify(stored: str, payload: dict) -> Verification:
    return Verification(stored=stored, computed=sha256_of(payload))
