import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
_django = get_wsgi_application()

from yichuang.hall.hotpath import HallHotPath  # noqa: E402 — needs the settings loaded above

# The hall's window calls (call-next, finish) are answered ahead of Django's request machinery on PostgreSQL;
# everything else goes to Django. See yichuang/hall/hotpath.py.
application = HallHotPath(_django)
