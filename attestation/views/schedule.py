"""Views of attestation/: schedule (pages arrive with issue 10)."""

from django.urls import URLPattern

urls: list[URLPattern] = []
