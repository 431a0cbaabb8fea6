"""URLs of attestation/: each views module lists its own."""

from .views import (
    campaigns,
    cases,
    conformity,
    frameworks,
    portfolio,
    records,
    results,
    schedule,
    suggestions,
    training,
)

app_name = "attestation"
urlpatterns = [
    *schedule.urls,
    *training.urls,
    *records.urls,
    *cases.urls,
    *conformity.urls,
    *portfolio.urls,
    *frameworks.urls,
    *campaigns.urls,
    *results.urls,
    *suggestions.urls,
]
