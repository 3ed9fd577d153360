"""WSGI entry point: every request goes through Django's own request path (middleware, signals, ALLOWED_HOSTS)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
application = get_wsgi_application()
