"""Settings of the benchmark (`python -m bench.run`, `make bench`): production's, on the loopback, with the floor view.

What production runs (README, "Production deployment"): DEBUG off (the cached template loader, no query log), the
same middleware in the same order, the same password hashers, sessions in the database, the manifest storage of
static files (run.py runs collectstatic into BENCH_STATIC_ROOT first). What differs, and why it is fair:

- ROOT_URLCONF adds the floor view (bench/urls.py) to the portal's URLs; the product's URLs do not have it;
- the load generator speaks plain HTTP to 127.0.0.1, with no TLS proxy in front: no redirect to HTTPS, and the
  session and CSRF cookies are not marked Secure (a client keeps a Secure cookie away from http://);
- mail goes nowhere (a plan submitted during the load run would otherwise wait on an SMTP server that is not there).

DATABASE_URL names the benchmark's database (bench_college, bench_region: run.py sets it).
"""

import os

# Production's branch of metodservice.settings (DEBUG off) unless the caller says otherwise; a key of its own, since
# production refuses to start without one. Set before the import: the settings read them at import time.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789abcdef" * 3)

from pathlib import Path  # noqa: E402

from metodservice.settings import *  # noqa: E402, F403
from metodservice.settings import BASE_DIR  # noqa: E402

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", BASE_DIR / "staticfiles"))

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
