"""Views of attestation/, one module per area: schedule (the attestation schedule), training (professional
development records and compliance), records (the person's categories and absences)."""
