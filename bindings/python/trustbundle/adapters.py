"""A requests transport adapter whose connections the core verifies.

    import requests, trustbundle.adapters
    session = requests.Session()
    session.mount("https://", trustbundle.adapters.TrustbundleAdapter(extra_ca="corp-ca.pem"))

Importing this module imports requests.
"""

from __future__ import annotations

from typing import Any, Sequence

import requests.adapters

from ._context import create_default_context
from ._verify import CASource

__all__ = ["TrustbundleAdapter"]


class TrustbundleAdapter(requests.adapters.HTTPAdapter):
    """An HTTPAdapter whose pools (direct and through proxies) use one trustbundle context.

    ``extra_ca`` and ``system`` are :func:`trustbundle.create_default_context`'s.
    A CA bundle requests passes (``verify="path"``, ``REQUESTS_CA_BUNDLE``,
    ``CURL_CA_BUNDLE``) is added to the context's extra CAs; ``verify=False``
    is refused when the connection is made.
    """

    def __init__(self, *, extra_ca: CASource | Sequence[CASource] | None = None, system: bool = False,
                 **kwargs: Any) -> None:
        self.ssl_context = create_default_context(extra_ca=extra_ca, system=system)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self.ssl_context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self.ssl_context
        return super().proxy_manager_for(proxy, **proxy_kwargs)
