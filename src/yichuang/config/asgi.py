"""The ASGI application, as the documented server runs it (docs/operations.md):

    granian --interface asginl yichuang.config.asgi:application --workers 2 --respawn-failed-workers

Django's own ASGI handler: synchronous views run in a thread per request, as Django does under ASGI, and the
display board's event stream (``hall.views.board_events``) is asynchronous, so an open board holds no request
worker while it waits for a call (see ``hall/live.py``). ``asginl``: Django has no ASGI lifespan protocol.
"""

import os

from django.core.asgi import get_asgi_application

from yichuang.core.checks import refuse_without_keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
application = get_asgi_application()
refuse_without_keys()  # debug off: no server without a real secret key and field keys
