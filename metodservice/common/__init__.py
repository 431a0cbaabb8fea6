"""Shared helpers every app may use: PDF rendering, document hashes, the safe upload path, history rows, XLSX,
widgets, view helpers, middleware and template tags. The lowest layer: it imports no app (import-linter checks)."""
