"""Test helper for the WSGI hot paths (yichuang.core.hotpath): which requests a hot path answered itself."""


def record_served(monkeypatch, cls) -> list[bool]:
    """Spy on ``cls.serve``: for every request it saw, in order, True if it answered, False if it handed the
    request to Django."""
    served: list[bool] = []
    real = cls.serve

    def spy(self, environ, match):
        answer = real(self, environ, match)
        served.append(answer is not None)
        return answer

    monkeypatch.setattr(cls, "serve", spy)
    return served
