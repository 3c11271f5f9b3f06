"""The shared real-client matrix (tests/matrix/README.md) through Python's clients.

One serve.py process serves every scenario of tests/matrix/scenarios.json on
127.0.0.1 with the session's PKI. Each cell asserts the connection's verdict
is verify()'s for the chain the server sends: the rejected ones raise the
client's error with trustbundle.VerificationError as a cause (same reason,
depth and hint as verify(), the hint in the traceback), and the scenario's
server received no HTTP request.
"""

from __future__ import annotations

import json
import os
import traceback
from pathlib import Path
from typing import Any, Dict

import pytest

import trustbundle
from conftest import requests_received
from matrix_clients import CLIENTS

REPO = Path(__file__).resolve().parents[2]
MATRIX = json.loads((REPO / "tests" / "matrix" / "scenarios.json").read_text(encoding="utf-8"))
SCENARIOS = {s["name"]: s for s in MATRIX["scenarios"]}
MACHINE_CA_VARIABLES = {name: os.environ[name] for name in
                        ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
                        if name in os.environ}


def test_the_matrix_names_these_clients() -> None:
    assert sorted(MATRIX["clients"]["python"]) == sorted(CLIENTS)


@pytest.fixture(autouse=True)
def _machine_ca_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The contract leaves the machine's CA variables as they are (conftest clears them)."""
    for name, value in MACHINE_CA_VARIABLES.items():
        monkeypatch.setenv(name, value)


def _expected(pki: Path, scenario: Dict[str, Any]) -> Any:
    """verify()'s verdict on the served chain: None (OK) or its VerificationError."""
    served = (pki / scenario["served"]).read_bytes()
    try:
        trustbundle.verify(served, scenario["host"], extra_ca=[str(pki / p) for p in scenario["extra_ca"]])
    except trustbundle.VerificationError as e:
        assert e.reason == scenario["expect"]["verify"]
        return e
    assert scenario["expect"]["verify"] == "OK"
    return None


@pytest.mark.parametrize("client", list(CLIENTS))
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_matrix(name: str, client: str, pki: Path, matrix_server: Dict[str, Any]) -> None:
    scenario = SCENARIOS[name]
    expected = _expected(pki, scenario)
    url = f"https://{scenario['host']}:{matrix_server['ports'][name]}/"
    extra_ca = [str(pki / p) for p in scenario["extra_ca"]]
    given = scenario.get("client_cert")
    client_cert = (str(pki / given["cert"]), str(pki / given["key"])) if given else None
    before = requests_received(matrix_server)[name]

    if scenario["expect"]["connects"]:
        status, body = CLIENTS[client](url, extra_ca, client_cert)
        assert (status, body) == (200, f"ok {name}\n")
        assert requests_received(matrix_server)[name] == before + 1
        return

    with pytest.raises(Exception) as info:
        CLIENTS[client](url, extra_ca, client_cert)
    found = trustbundle.verification_error(info.value)
    if expected is None:  # the server refuses us: not a verification failure
        assert found is None, f"{client} blamed the chain: {found!r}"
        return
    assert found is not None, f"{client} raised {info.value!r} without trustbundle's VerificationError"
    assert (found.reason, found.depth, found.hint) == (expected.reason, expected.depth, expected.hint)
    assert found.hint and found.hint in str(found)
    shown = "".join(traceback.format_exception(type(info.value), info.value, info.value.__traceback__))
    assert found.hint in shown  # what a user sees in the traceback
    assert requests_received(matrix_server)[name] == before, "a request reached a rejected server"
