import os

import pytest

os.environ.setdefault("YICHUANG_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
