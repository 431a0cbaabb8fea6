"""URLs of planning/; its pages arrive with their issue (see README, "Roadmap")."""

app_name = "planning"
urlpatterns: list = []
