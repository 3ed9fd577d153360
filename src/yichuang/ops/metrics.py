"""/metrics through prometheus-client.

Request counts: a prometheus-client ``Counter`` per process (method and status). With ``YICHUANG_REDIS_URL`` set
each request is also added to one Redis hash (through one connection pool per process, not a connection per
request), and /metrics reports those cluster-wide totals, so every worker of a multi-process deployment answers the
same.

Everything else comes from collectors the apps register in their ``AppConfig.ready()`` with
``register_collector`` (prometheus-client's custom collector API: an object whose ``collect()`` yields metric
families). They read the database at scrape time, so the figures are the truth whichever process answers, and ops
knows nothing of the apps that report through it.
"""

from __future__ import annotations

import functools

import redis
from django.conf import settings
from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import CounterMetricFamily
from prometheus_client.exposition import choose_encoder

REDIS_KEY = "yichuang:metrics:http_requests"
REQUESTS = "yichuang_http_requests"
REQUESTS_HELP = "HTTP requests by method and status."

REGISTRY = CollectorRegistry()  # ours alone: the apps' collectors, not the library's process-wide default
_requests = Counter(REQUESTS, REQUESTS_HELP, ["method", "status"], registry=None)


@functools.cache
def _pool(url: str) -> redis.ConnectionPool:
    return redis.ConnectionPool.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)


def _redis() -> redis.Redis | None:
    url = settings.YICHUANG_REDIS_URL
    return redis.Redis(connection_pool=_pool(url)) if url else None


def request_count(method: str, status: int) -> None:
    method, status = method.upper()[:10], int(status)
    _requests.labels(method, str(status)).inc()
    client = _redis()
    if client is not None:
        try:
            client.hincrby(REDIS_KEY, f"{method}:{status}", 1)
        except redis.RedisError:  # metrics never break a request
            pass


def reset() -> None:
    """Forget this process's request counts (tests)."""
    _requests.clear()


class _RequestCollector:
    """The cluster-wide totals from Redis when it is configured and answers; this process's counter otherwise."""

    def collect(self):
        client = _redis()
        if client is not None:
            try:
                raw = client.hgetall(REDIS_KEY)
            except redis.RedisError:
                raw = None
            if raw is not None:
                family = CounterMetricFamily(REQUESTS, REQUESTS_HELP, labels=["method", "status"])
                for key, value in sorted(raw.items()):
                    method, status = key.decode().split(":")
                    family.add_metric([method, status], int(value))
                yield family
                return
        yield from _requests.collect()


def register_collector(collector) -> None:
    """Add an app's metrics to /metrics: ``collector.collect()`` yields prometheus-client metric families
    (``GaugeMetricFamily``…) at every scrape. Call it once, from the app's ``AppConfig.ready()``."""
    REGISTRY.register(collector)


def render(accept: str = "") -> tuple[bytes, str]:
    """The exposition body and its content type, in the format the scraper's Accept header asks for."""
    encoder, content_type = choose_encoder(accept)
    return encoder(REGISTRY), content_type


register_collector(_RequestCollector())
