"""URLs of attestation/: each views module lists its own."""

from .views import cases, conformity, portfolio, records, schedule, training

app_name = "attestation"
urlpatterns = [*schedule.urls, *training.urls, *records.urls, *cases.urls, *conformity.urls, *portfolio.urls]
