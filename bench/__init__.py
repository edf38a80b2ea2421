"""`make bench`: see README.md. Not part of the site: only bench/settings.py loads it."""
