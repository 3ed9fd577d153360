import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
_django = get_wsgi_application()

from yichuang.cases.hotpath import CasesHotPath  # noqa: E402 — needs the settings loaded above
from yichuang.hall.hotpath import HallHotPath  # noqa: E402

# The hall's window calls (call-next, finish) and the cases' 收件 and 流转 are answered ahead of Django's request
# machinery on PostgreSQL; everything else goes to Django. See yichuang/core/hotpath.py.
application = CasesHotPath(HallHotPath(_django))
