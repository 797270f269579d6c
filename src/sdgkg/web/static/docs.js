// /docs: Swagger UI over this service's OpenAPI schema, from the vendored bundle (no CDN, no
// inline script, so the site's CSP holds).
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({ url: root.dataset.openapi, dom_id: "#swagger-ui", deepLinking: false });
})();
