"""``b12lint serve``: the same engine behind a check API, a CDS Hooks service and a page.

Needs the ``serve`` extra (Starlette, uvicorn, PyJWT): ``pip install "b12lint[serve]"``.
"""

from __future__ import annotations

from b12lint.serve.app import create_app
from b12lint.serve.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
