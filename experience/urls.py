"""URLs of experience/: each views module lists its own."""

from .views import catalogue, items, lab, visits

app_name = "experience"
urlpatterns = [
    *items.urls,
    *catalogue.urls,
    *visits.urls,
    *lab.urls,
]
