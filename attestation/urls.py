"""URLs of attestation/; its pages arrive with their issue (see README, "Roadmap")."""

app_name = "attestation"
urlpatterns: list = []
