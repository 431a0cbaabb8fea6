"""Views of attestation/: records (pages arrive with issue 10)."""

from django.urls import URLPattern

urls: list[URLPattern] = []
