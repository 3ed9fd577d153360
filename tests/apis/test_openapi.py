import json
from pathlib import Path

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_served_schema_equals_the_committed_file(client):
    served = client.get("/api/v1/openapi.json").json()
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served == committed, "docs/openapi.json is stale: run `uv run yichuang openapi` and commit it"


def test_docs_page_is_served_offline(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
