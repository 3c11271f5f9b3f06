"""inject_into_ssl() with each library's own defaults (no context passed), against the matrix servers.

aiohttp makes its default contexts at import: both orders are checked (it
is imported before injection in this process, after it in a fresh one).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
import requests
import urllib3

import trustbundle
from conftest import requests_received


def _aiohttp_get(url: str, **kwargs: Any) -> str:
    async def get() -> str:
        async with aiohttp.ClientSession() as session:
            async with session.get(url, **kwargs) as r:
                return await r.text()

    return asyncio.run(get())


@pytest.mark.parametrize("get", [
    lambda url: requests.get(url, timeout=10).text,
    lambda url: urllib3.PoolManager().request("GET", url).data.decode(),
    lambda url: httpx.get(url, timeout=10).text,
    _aiohttp_get,
], ids=["requests", "urllib3", "httpx", "aiohttp"])
def test_library_defaults_verify_with_the_core(get: Any, pki: Path, matrix_server: Any) -> None:
    trustbundle.inject_into_ssl(extra_ca=str(pki / "root.pem"))
    assert get(f"https://localhost:{matrix_server['ports']['good']}/") == "ok good\n"
    before = requests_received(matrix_server)["expired"]
    with pytest.raises(Exception) as info:
        get(f"https://localhost:{matrix_server['ports']['expired']}/")
    assert trustbundle.verification_error(info.value).reason == "CERT_HAS_EXPIRED"
    assert requests_received(matrix_server)["expired"] == before


def test_aiohttp_unverified_requests_are_refused_while_injected(pki: Path, matrix_server: Any) -> None:
    trustbundle.inject_into_ssl(extra_ca=str(pki / "root.pem"))
    url = f"https://localhost:{matrix_server['ports']['good']}/"
    with pytest.raises(Exception, match="verification cannot be turned off"):
        _aiohttp_get(url, ssl=False)
    trustbundle.extract_from_ssl()
    assert _aiohttp_get(url, ssl=False) == "ok good\n"  # aiohttp's own unverified context is back


def test_aiohttp_imported_after_injection(pki: Path, matrix_server: Any) -> None:
    code = textwrap.dedent("""
        import asyncio, sys, trustbundle
        trustbundle.inject_into_ssl(extra_ca=sys.argv[1])
        import aiohttp
        async def get(url):
            async with aiohttp.ClientSession() as session:
                async with session.get(url) as r:
                    return await r.text()
        print(asyncio.run(get(sys.argv[2])), end="")
        try:
            asyncio.run(get(sys.argv[3]))
        except aiohttp.ClientError as e:
            print(trustbundle.verification_error(e).reason)
    """)
    ports = matrix_server["ports"]
    out = subprocess.run([sys.executable, "-c", code, str(pki / "root.pem"), f"https://localhost:{ports['good']}/",
                          f"https://localhost:{ports['wrong-host']}/"], check=True, capture_output=True, text=True)
    assert out.stdout == "ok good\nHOSTNAME_MISMATCH\n"


def test_injection_is_all_or_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl

    import aiohttp.connector

    stdlib = ssl.SSLContext

    def broken(verified: bool) -> None:
        raise RuntimeError("cannot make a context")

    monkeypatch.setattr(aiohttp.connector, "_make_ssl_context", broken)
    with pytest.raises(RuntimeError):
        trustbundle.inject_into_ssl()
    assert not trustbundle.is_injected() and ssl.SSLContext is stdlib
    assert urllib3.util.ssl_.SSLContext is stdlib
