"""WSGI entry point: every request goes through Django's own request path (middleware, signals, ALLOWED_HOSTS)."""

import os

from django.core.wsgi import get_wsgi_application

from yichuang.core.checks import refuse_without_keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
application = get_wsgi_application()
refuse_without_keys()  # debug off: no server without a real secret key and field keys
