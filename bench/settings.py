"""Settings of `make bench`: production settings, changed only as a loopback benchmark needs.

The environment (secret key, hosts, PostgreSQL and Redis URLs) is set by bench/run.sh.
"""

from portal.settings.production import *  # noqa: F403

# wrk talks plain HTTP to 127.0.0.1; a redirect to HTTPS would measure nothing.
SECURE_SSL_REDIRECT = False
# The bench database is created and dropped by run.sh: demo content is harmless there.
DEMO_CONTENT_ALLOWED = True
# The real site's URLs plus /__bench__/ping (see bench/urls.py).
ROOT_URLCONF = "bench.urls"
