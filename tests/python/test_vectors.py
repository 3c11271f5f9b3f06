"""The shared vectors (tests/vectors/verify.json), every case through the public API.

The contract is the same as for the C++ runner: ok, reason name, depth and
chain length must match exactly; an unknown kind, trust form, purpose or
expected error fails the case, never passes it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import trustbundle

from conftest import VECTORS

with open(VECTORS, encoding="utf-8") as _f:
    _CASES = json.load(_f)["cases"]

_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?", re.S)


def _store(trust: object, pki: Path, monkeypatch: pytest.MonkeyPatch) -> trustbundle.Store:
    if not isinstance(trust, dict):
        pytest.fail(f"unknown trust form (not an object): {trust!r}")
    if not trust:
        return trustbundle.Store()
    if len(trust) != 1:
        pytest.fail(f"unknown trust form (more than one key): {trust!r}")
    (key, value), = trust.items()
    if key in ("extra_ca", "roots") and isinstance(value, list) and value:
        paths = [str(pki / f) for f in value]
        if key == "extra_ca":
            store = trustbundle.Store(paths)
            assert store.extra_count >= len(paths)
            return store
        return trustbundle.Store(paths, mozilla=False, env=False)
    if key == "env_extra_ca" and isinstance(value, str):
        monkeypatch.setenv("TRUSTBUNDLE_EXTRA_CA_CERTS", str(pki / value))
        store = trustbundle.Store()
        assert store.extra_count == 1, "the variable's CA was not added"
        return store
    if key == "roots_certdata" and isinstance(value, str):
        return trustbundle.Store(str(pki / value), mozilla=False, env=False)
    pytest.fail(f"unknown trust form: {trust!r}")


def _chain(files: list, pki: Path) -> list:
    """Every certificate of the chain files, leaf first, one PEM str each."""
    out = []
    for f in files:
        blocks = _PEM_BLOCK.findall((pki / f).read_text(encoding="ascii"))
        assert blocks, f"no certificate in {f}"
        out.extend(blocks)
    return out


def _run_verify(case: dict, pki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    purpose = case["purpose"]
    if purpose not in ("server", "client"):
        pytest.fail(f"unknown purpose {purpose!r}")
    store = _store(case["trust"], pki, monkeypatch)
    expect = case["expect"]
    chain = _chain(case["chain"], pki)
    try:
        verified = store.verify(chain, case["host"], at=case["at"], purpose=purpose)
    except trustbundle.VerificationError as e:
        got = (False, e.reason, e.depth)
        assert got == (expect["ok"], expect["reason"], expect["depth"]), f"{e} / hint: {e.hint}"
        assert e.hint, "every rejection has a hint"
        assert "\n" not in e.hint
        assert e.verify_code != 0 or e.reason == "ROOT_DISTRUSTED"  # distrust-after is trustbundle policy
        return
    assert expect["ok"], f"accepted, expected {expect['reason']} at depth {expect['depth']}"
    assert expect["reason"] == "OK" and expect["depth"] == -1
    assert "chain_length" in expect, "an accepted case must give chain_length"
    assert len(verified) == expect["chain_length"]
    assert all(isinstance(der, bytes) and der[:1] == b"\x30" for der in verified)
    import ssl

    assert verified[0] == ssl.PEM_cert_to_DER_cert(chain[0]), "the verified chain starts at our leaf"


def _run_key_pair(case: dict, pki: Path) -> None:
    expect = case["expect"]
    cert = (pki / case["cert"]).read_bytes()
    key = (pki / case["key"]).read_bytes()
    if "error" in expect:
        if expect["error"] != "PASSPHRASE":
            pytest.fail(f"unknown expected error {expect['error']!r}")
        with pytest.raises(trustbundle.PassphraseError) as info:
            trustbundle.check_key_pair(cert, key, case["passphrase"], at=case["at"])
        assert isinstance(info.value, ValueError)
        return
    got = trustbundle.check_key_pair(cert, key, case["passphrase"], at=case["at"])
    assert (got.match, got.client_auth, got.valid) == (expect["match"], expect["client_auth"], expect["valid"])
    assert got.ok == (expect["match"] and expect["client_auth"] and expect["valid"])


def _run_case(case: dict, pki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kind = case.get("kind")
    if kind == "verify":
        _run_verify(case, pki, monkeypatch)
    elif kind == "key_pair":
        _run_key_pair(case, pki)
    else:
        pytest.fail(f"unknown kind {kind!r}")


@pytest.mark.parametrize("case", _CASES, ids=[c["name"] for c in _CASES])
def test_vector(case: dict, pki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run_case(case, pki, monkeypatch)


def test_every_case_runs() -> None:
    names = [c["name"] for c in _CASES]
    assert len(names) == len(set(names)), "case names are unique"
    assert len(names) >= 47


def test_runner_rejects_unknown_forms(pki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown trust form, kind, purpose or expected error fails, never passes."""
    for bad in ({"roots_foo": ["root.pem"]}, {"extra_ca": []}, ["root.pem"], {"extra_ca": ["a"], "roots": ["b"]}):
        with pytest.raises(pytest.fail.Exception):
            _store(bad, pki, monkeypatch)
    with pytest.raises(pytest.fail.Exception):
        _run_case({"name": "x", "kind": "mystery"}, pki, monkeypatch)
    base = next(c for c in _CASES if c["kind"] == "verify")
    with pytest.raises(pytest.fail.Exception):
        _run_case({**base, "purpose": "email"}, pki, monkeypatch)
    pair = next(c for c in _CASES if c["kind"] == "key_pair")
    with pytest.raises(pytest.fail.Exception):
        _run_case({**pair, "expect": {"error": "SOMETHING_NEW"}}, pki, monkeypatch)
