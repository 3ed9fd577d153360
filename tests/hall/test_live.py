import threading
import time

import pytest
from django.db import connection, transaction

from yichuang.hall import live


@pytest.mark.django_db(transaction=True)
def test_notify_reaches_a_listener_on_another_connection():
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    live.wait_for_change(42, timeout=0.01)  # opens the listening connection and LISTENs
    woke = {}

    def publisher():
        time.sleep(0.3)
        with transaction.atomic():
            live.publish(42, {"kind": "called", "number": "A001", "window": "1"})
        connection.close()

    t = threading.Thread(target=publisher)
    started = time.monotonic()
    t.start()
    try:
        live.wait_for_change(42, timeout=5)
        woke["after"] = time.monotonic() - started
    finally:
        t.join()
        live.close_listener()
    assert 0.25 < woke["after"] < 1.3, woke
