"""The real clients of the matrix, each requesting a URL through trustbundle as its users would.

fetch(client, url, extra_ca, client_cert) -> (status, body text), or the
client's own exception. `extra_ca` is a list of paths; `client_cert` is
(cert path, key path) or None.
"""

from __future__ import annotations

import asyncio
import urllib.request
from typing import Callable, Dict, List, Optional, Tuple

import aiohttp
import httpx
import requests
import urllib3

import trustbundle
import trustbundle.adapters

Result = Tuple[int, str]
ClientCert = Optional[Tuple[str, str]]


def _context(extra_ca: List[str], client_cert: ClientCert) -> "trustbundle.TrustbundleContext":
    context = trustbundle.create_default_context(extra_ca=extra_ca)
    if client_cert:
        context.load_cert_chain(*client_cert)
    return context


def requests_injected(url: str, extra_ca: List[str], client_cert: ClientCert) -> Result:
    trustbundle.inject_into_ssl(extra_ca=extra_ca)
    try:
        with requests.Session() as session:
            r = session.get(url, cert=client_cert, timeout=10)
            return r.status_code, r.text
    finally:
        trustbundle.extract_from_ssl()


def requests_adapter(url: str, extra_ca: List[str], client_cert: ClientCert) -> Result:
    with requests.Session() as session:
        session.mount("https://", trustbundle.adapters.TrustbundleAdapter(extra_ca=extra_ca))
        r = session.get(url, cert=client_cert, timeout=10)
        return r.status_code, r.text


def urllib_(url: str, extra_ca: List[str], client_cert: ClientCert) -> Result:
    with urllib.request.urlopen(url, context=_context(extra_ca, client_cert), timeout=10) as r:
        return r.status, r.read().decode()


def urllib3_(url: str, extra_ca: List[str], client_cert: ClientCert) -> Result:
    with urllib3.PoolManager(ssl_context=_context(extra_ca, client_cert)) as pool:
        r = pool.request("GET", url, timeout=10)
        return r.status, r.data.decode()


def httpx_(url: str, extra_ca: List[str], client_cert: ClientCert) -> Result:
    with httpx.Client(verify=_context(extra_ca, client_cert), timeout=10) as client:
        r = client.get(url)
        return r.status_code, r.text


def aiohttp_(url: str, extra_ca: List[str], client_cert: ClientCert) -> Result:
    async def get() -> Result:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            async with session.get(url, ssl=_context(extra_ca, client_cert)) as r:
                return r.status, await r.text()

    return asyncio.run(get())


CLIENTS: Dict[str, Callable[[str, List[str], ClientCert], Result]] = {
    "requests (injected)": requests_injected,
    "requests (adapter)": requests_adapter,
    "urllib": urllib_,
    "urllib3": urllib3_,
    "httpx": httpx_,
    "aiohttp": aiohttp_,
}
