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

  // YASGUI in the page's language: DataTables takes a language option; YASR's own words are
  // replaced where it writes them (texts, titles, aria-labels, placeholders).
  const words = config.words || {};
  if (words.dataTables && typeof Yasr !== "undefined" && Yasr.plugins.table) {
    Yasr.plugins.table.defaults.tableConfig.language = words.dataTables;
  }

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
    root.querySelectorAll("select.tableSizer").forEach((s) => s.setAttribute("aria-label", config.labels.pageSize));
    root.querySelectorAll(".yasr_results").forEach((r) => {
      if (r.getAttribute("aria-label") !== config.labels.results) {
        r.setAttribute("role", "region");
        r.setAttribute("aria-label", config.labels.results);
        r.setAttribute("tabindex", "0");
      }
    });
    root.querySelectorAll(".CodeMirror-scroll").forEach((s) => s.setAttribute("tabindex", "0"));
    for (const [selector, label] of [[".yasqe_share", config.labels.share], [".yasqe_queryButton", config.labels.run]]) {
      root.querySelectorAll(selector).forEach((b) => {
        if (b.getAttribute("aria-label") !== label) { b.setAttribute("aria-label", label); b.setAttribute("title", label); }
      });
    }
  }
  const texts = words.texts || {};
  const counts = words.counts;
  // "17 results in 0.05 seconds", YASR's response chip.
  const chip = /^(?:(\d+) results?|Response)(?: in ([\d.]+) seconds?)?$/;

  function translated(value) {
    const trimmed = value.trim();
    if (Object.prototype.hasOwnProperty.call(texts, trimmed)) {
      return value.replace(trimmed, texts[trimmed]);
    }
    const match = counts && chip.exec(trimmed);
    if (!match) return null;
    let text = match[1] === undefined ? counts.response
      : (match[1] === "1" ? counts.one : counts.other).replace("{count}", match[1]);
    if (match[2] !== undefined) text += " " + counts.seconds.replace("{seconds}", match[2].replace(".", ","));
    return text;
  }

  function translate() {
    // The query and the result rows stay as written, and are not walked (a table may be long).
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => n.nodeType === Node.TEXT_NODE ? NodeFilter.FILTER_ACCEPT
        : (n.matches(".CodeMirror, tbody") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP),
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = translated(node.nodeValue);
      if (text !== null && text !== node.nodeValue) node.nodeValue = text;
    }
    root.querySelectorAll("[title], [aria-label], [placeholder]").forEach((element) => {
      for (const name of ["title", "aria-label", "placeholder"]) {
        const value = element.getAttribute(name);
        const text = value && translated(value);
        if (text && text !== value) element.setAttribute(name, text);
      }
    });
  }

  function relabel() {
    nameControls();
    if (Object.keys(texts).length) translate();
  }
  relabel();
  new MutationObserver(relabel).observe(root, { childList: true, subtree: true, characterData: true });

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
