import os

from django.core.wsgi import get_wsgi_application

from portal.core.memory import freeze_long_lived

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()
freeze_long_lived()
