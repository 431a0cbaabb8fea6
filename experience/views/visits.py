"""Views of experience/: visits (filled with its pages)."""

from django.urls import URLPattern

urls: list[URLPattern] = []
