"""The HTML pages people use: home, search, query editor, resource pages and SDG coverage views.

``install_web(app, settings)`` adds them to the service; ``render_resource_page`` is the HTML
side of every Linked Data IRI, called by ``sdgkg.api.pages``.
"""

from sdgkg.web.i18n import choose_language
from sdgkg.web.resource import render_resource_page
from sdgkg.web.router import install_web

__all__ = ["choose_language", "install_web", "render_resource_page"]
