"""Forms of experience/, one module per area."""
