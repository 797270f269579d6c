"""Schemathesis against the service's own OpenAPI schema: no generated request gets a 5xx.

Issue 8, item 3. The app runs in process (ASGI) over a private copy of the bundle with updates
enabled, so /update is exercised too (with and without the token). ``FUZZ_EXAMPLES`` per operation
(about 1,800 cases in all) keeps this file near a minute on 2 cores;
``SDGKG_FUZZ_EXAMPLES=2000`` gives a long run.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

pytest.importorskip("schemathesis")
import schemathesis
from hypothesis import HealthCheck, settings

from sdgkg.config import Settings
from sdgkg.service.app import create_app
from tests.service_fixtures import build_bundle_store

DESIGNED_503 = {"query timeout", "server busy"}
FUZZ_EXAMPLES = int(os.environ.get("SDGKG_FUZZ_EXAMPLES", "200"))


@schemathesis.serializer("application/sparql-query", "application/sparql-update")
def _sparql_text(ctx: object, value: object) -> bytes:
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value).encode()


def _app() -> object:
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="sdgkg-fuzz-")) / "store"
    settings_ = Settings(store=str(path), update_token="fuzz-token", query_timeout_s=10)  # type: ignore[arg-type]
    return create_app(settings_, store=build_bundle_store(path, settings_))


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    if response.status_code >= 500:
        # The one 5xx by design: a generated query (a cartesian product, say) hit the time limit.
        try:
            body = response.json()
        except ValueError:
            body = {}
        assert response.status_code == 503 and body.get("error") in DESIGNED_503, (
            f"{response.status_code} for {case.method} {case.formatted_path}: {response.text[:500]}"
        )
