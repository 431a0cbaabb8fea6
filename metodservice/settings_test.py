"""Test settings: the development settings with a fast password hasher and in-memory e-mail."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
AXES_FAILURE_LIMIT = 3
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# The tests run with the clock travelled (tests/conftest.py) while Chromium's clock, in the browser tests, is real.
# Session and CSRF cookies without an expiry date can't look expired to the browser whatever the two clocks say;
# the server still ends a session after SESSION_COOKIE_AGE without a request (its own expiry, on its own clock).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_AGE = None

# A document asked for in a test is rendered at once, in the request (the database queue is tested on its own).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The worlds of the tests sign hundreds of orders and approve hundreds of plans: the stored PDFs of fixed documents
# are rendered only in the tests that ask for them (tests/test_documents.py).
STORE_FIXED_DOCUMENTS = False
# The badge counted on every page, as its tests and the pinned query counts expect (tests/test_attention_badge.py
# checks the kept count with the production setting).
ATTENTION_SECONDS = 0
# The figures of diagnostics campaigns are computed afresh in every test (attestation.selectors.results keeps them in
# the cache in production; the ids of a rolled-back test come again in the next one).
RESULTS_CACHE_SECONDS = 0
# The annual report's figures are counted afresh on every page in the tests (reports.sections.compute_kept keeps
# them a minute in production; tests/reports/test_annual_pages.py checks that with the production setting).
REPORT_FIGURES_SECONDS = 0
