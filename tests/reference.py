"""The reference rows the data migrations create: transactional tests flush them, so they put them back."""

from importlib import import_module

from django.apps import apps


def seed_reference_data() -> None:
    """The positions, the ten work directions and the default competency framework, idempotently (the migrations'
    own functions)."""
    import_module("structure.migrations.0002_positions").add_positions(apps, None)
    import_module("planning.migrations.0002_directions").add_directions(apps, None)
    import_module("attestation.migrations.0004_default_framework").add_default_framework(apps, None)
