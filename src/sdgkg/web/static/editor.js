// The query editor: YASGUI against this service's /sparql, with the curated questions as examples.
// No network access beyond this origin: the autocompleters that call outside services (LOV,
// prefix.cc) are switched off, and the endpoint list holds only our own endpoint.
"use strict";

(function () {
  const configElement = document.getElementById("editor-config");
  const root = document.getElementById("yasgui");
  if (!configElement || !root || typeof Yasgui === "undefined") {
    return;
  }
  const config = JSON.parse(configElement.textContent);
  const endpoint = new URL(config.endpoint, window.location.href).href;

  // Mutate in place: Yasgui.defaults.yasqe is the same object as Yasqe.defaults, and a config
  // array would be merged index by index rather than replaced.
  const completers = Yasgui.Yasqe.defaults.autocompleters;
  completers.splice(0, completers.length, "prefixes", "variables");
  Yasgui.Yasqe.defaults.prefixCcApi = null;

  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
    persistenceId: "sdgkg-editor",
    populateFromUrl: true,
    // Tab and Shift-Tab leave the editor (WCAG 2.1.2, no keyboard trap) instead of indenting.
    yasqe: { value: config.defaultQuery, extraKeys: { Tab: false, "Shift-Tab": false } },
  });

  // Names for the controls YASGUI leaves unnamed: the editor's text area and the endpoint field.
  function nameControls() {
    root.querySelectorAll(".CodeMirror textarea").forEach((t) => t.setAttribute("aria-label", config.labels.query));
    root.querySelectorAll("input.autocomplete").forEach((i) => i.setAttribute("aria-label", config.labels.endpoint));
    root.querySelectorAll(".CodeMirror-scroll").forEach((s) => s.setAttribute("tabindex", "0"));
    for (const [selector, label] of [[".yasqe_share", config.labels.share], [".yasqe_queryButton", config.labels.run]]) {
      root.querySelectorAll(selector).forEach((b) => {
        if (b.getAttribute("aria-label") !== label) { b.setAttribute("aria-label", label); b.setAttribute("title", label); }
      });
    }
  }
  nameControls();
  new MutationObserver(nameControls).observe(root, { childList: true, subtree: true });

  const downloads = document.getElementById("downloads");
  const csvLink = document.getElementById("download-csv");
  const jsonLink = document.getElementById("download-json");

  function resultUrl(query, format) {
    return config.endpoint + "?" + new URLSearchParams({ query: query, format: format }).toString();
  }

  function shareQuery(params) {
    const url = window.location.pathname + "?" + new URLSearchParams(params).toString();
    window.history.replaceState(null, "", url);
  }

  function runInActiveTab(query) {
    const tab = yasgui.getTab();
    tab.setQuery(query);
    tab.query();
  }

  // Records under the base IRI are served by this service: link results to their pages here.
  function localise(anchor) {
    const href = anchor.getAttribute("href");
    if (href && href.startsWith(config.base)) {
      anchor.setAttribute("href", "/" + href.slice(config.base.length));
      anchor.removeAttribute("target");
    }
  }
  new MutationObserver(function (mutations) {
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        if (node.matches("a[href]")) localise(node);
        node.querySelectorAll("a[href]").forEach(localise);
      }
    }
  }).observe(root, { childList: true, subtree: true });

  yasgui.on("query", function (_yasgui, tab) {
    const query = tab.getQuery();
    shareQuery({ query: query });
    csvLink.setAttribute("href", resultUrl(query, "csv"));
    jsonLink.setAttribute("href", resultUrl(query, "json"));
    downloads.hidden = false;
  });

  document.querySelectorAll("a.example[data-cq]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      const text = config.examples[link.dataset.cq];
      if (!text) return;
      event.preventDefault();
      document.querySelectorAll("a.example[aria-current]").forEach((a) => a.removeAttribute("aria-current"));
      link.setAttribute("aria-current", "true");
      runInActiveTab(text);
    });
  });

  if (config.initial && config.examples[config.initial]) {
    runInActiveTab(config.examples[config.initial]);
  }
})();
