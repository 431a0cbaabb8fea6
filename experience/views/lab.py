"""Views of experience/: lab (filled with its pages)."""

from django.urls import URLPattern

urls: list[URLPattern] = []
