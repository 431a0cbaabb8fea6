"""Forms of attestation/, one module per area."""
