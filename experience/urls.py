"""URLs of experience/; its pages arrive with their issue (see README, "Roadmap")."""

app_name = "experience"
urlpatterns: list = []
