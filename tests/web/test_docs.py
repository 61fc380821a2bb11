"""The API's documentation pages load everything from the app itself, under a policy
that allows nothing else."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
# swagger-ui-bundle.js calls SwaggerUIBundle; redoc.standalone.js defines Redoc.
EXPECTED = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
}


@pytest.mark.parametrize(("page", "viewer"), [("/docs", "SwaggerUIBundle"), ("/redoc", "<redoc")])
def test_docs_pages_load_only_assets_the_app_serves(
    client: TestClient, page: str, viewer: str
) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert viewer in response.text
    addresses = ASSET.findall(response.text)
    assert addresses, "the page names its script"
    for address in addresses:
        assert address.startswith("/"), f"{address} is not served by the app"
        asset = client.get(address)
        assert asset.status_code == 200, address
        kind = next(v for suffix, v in EXPECTED.items() if address.endswith(suffix))
        assert asset.headers["content-type"].startswith(kind), address
        assert len(asset.content) > 1000
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "http" not in policy  # no other origin may be loaded from
    assert "fonts.googleapis" not in response.text


def test_docs_start_up_script_is_allowed_by_its_hash_only(client: TestClient) -> None:
    policy = client.get("/docs").headers["content-security-policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'sha256-" in script_src
    assert "unsafe-inline" not in script_src
