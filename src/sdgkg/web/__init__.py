"""The HTML pages people use: home, search, query editor, resource pages and SDG coverage views.

``install_web(app, settings)`` adds them to the service; ``render_resource_page`` is the HTML
side of every Linked Data IRI, called by ``sdgkg.publishing.pages``.

The names below are imported on first use: ``/sparql`` renders its front page with
``sdgkg.web.service_pages`` and must not load FastAPI with the web routes (``service/front.py``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sdgkg.web.i18n import choose_language
    from sdgkg.web.resource import render_resource_page
    from sdgkg.web.router import install_web

__all__ = ["choose_language", "install_web", "render_resource_page"]

_HOMES = {
    "choose_language": "sdgkg.web.i18n",
    "install_web": "sdgkg.web.router",
    "render_resource_page": "sdgkg.web.resource",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(name)
