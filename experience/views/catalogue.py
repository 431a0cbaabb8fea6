"""Views of experience/: catalogue (filled with its pages)."""

from django.urls import URLPattern

urls: list[URLPattern] = []
