"""Views of experience/: items (filled with its pages)."""

from django.urls import URLPattern

urls: list[URLPattern] = []
