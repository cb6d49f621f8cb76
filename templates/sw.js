/* Solozère's service worker: the site's pages and its list of places, readable without a network.

- The shell (CONFIG.shell: the stylesheet, the scripts, the icons) is stored when it installs, in
  a cache named after its version; static files are then read from there first (their names
  change with their content), and a new version deletes the old caches.
- Pages: the network first (given up after CONFIG.timeout ms); a page the site marks public is
  kept with the time it was received, the last CONFIG.pages of them; without a network the kept
  copy is shown, marked (<html data-copy="…">) so that the page says how old it is
  (static/js/offline.js), or, for a page never kept, the offline page, marked data-absent.
- The list of places (CONFIG.list): stored when it installs, refreshed from the network when the
  offline page reads it, or in the background once it is older than CONFIG.listAge ms.
*/
"use strict";

const CONFIG = {{ config|safe }};
const SHELL = "solozere-shell-" + CONFIG.version;
const PAGES = "solozere-pages";
const DATA = "solozere-data";
const STAMP = "X-Solozere-Stored";
const MATCH = { ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL);
      await shell.addAll(CONFIG.shell);
      await Promise.all([store(SHELL, CONFIG.offline), store(DATA, CONFIG.list)]);
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const kept = [SHELL, PAGES, DATA];
      for (const name of await caches.keys()) {
        if (name.startsWith("solozere-") && !kept.includes(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })()
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, event));
  } else if (url.pathname === CONFIG.list) {
    event.respondWith(networkFirst(request, DATA));
  } else if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(cacheFirst(request));
  }
});

async function fetchWithin(request) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), CONFIG.timeout);
  try {
    return await fetch(request, { signal: abort.signal });
  } finally {
    clearTimeout(timer);
  }
}

function keepable(response) {
  const control = response.headers.get("Cache-Control") || "";
  return (
    response.ok &&
    response.type === "basic" &&
    !response.redirected &&
    !/no-store|private/.test(control)
  );
}

/* A copy of `response` stamped with the time it is stored, under `key` in cache `name`. */
async function keep(name, key, response) {
  const headers = new Headers(response.headers);
  headers.set(STAMP, new Date().toISOString());
  const copy = new Response(await response.blob(), { status: response.status, headers });
  const cache = await caches.open(name);
  await cache.delete(key, MATCH); // re-inserted last: the most recently seen is kept longest
  await cache.put(key, copy);
  if (name === PAGES) {
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - CONFIG.pages))) {
      await cache.delete(old);
    }
  }
}

async function store(name, path) {
  const response = await fetch(path, { credentials: "same-origin" });
  if (keepable(response)) await keep(name, path, response);
}

async function page(request, event) {
  const url = new URL(request.url);
  const offline = url.pathname === CONFIG.offline;
  const name = offline ? SHELL : PAGES;
  const key = offline ? CONFIG.offline : url.href.split("#")[0];
  try {
    const response = await fetchWithin(request);
    if (keepable(response) && (response.headers.get("Content-Type") || "").startsWith("text/html")) {
      event.waitUntil(keep(name, key, response.clone()).catch(() => {}));
      event.waitUntil(refreshList().catch(() => {}));
    }
    return response;
  } catch (error) {
    const copy = await (await caches.open(name)).match(key, MATCH);
    if (copy) return offline ? copy : marked(copy, { copy: copy.headers.get(STAMP) || "" });
    const fallback = await (await caches.open(SHELL)).match(CONFIG.offline, MATCH);
    if (fallback) return marked(fallback, { absent: "1" });
    throw error;
  }
}

/* The stored page with data-* attributes on its <html>: the page's script says what they mean. */
async function marked(response, data) {
  const attributes = Object.entries(data)
    .map(([key, value]) => ` data-${key}="${String(value).replace(/[^0-9A-Za-z:.+-]/g, "")}"`)
    .join("");
  const text = (await response.text()).replace(/<html\b/, "<html" + attributes);
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(text, { status: 200, headers });
}

async function networkFirst(request, name) {
  try {
    const response = await fetchWithin(request);
    if (keepable(response)) await keep(name, CONFIG.list, response.clone());
    return response;
  } catch (error) {
    const copy = await (await caches.open(name)).match(CONFIG.list, MATCH);
    if (copy) return copy;
    throw error;
  }
}

async function refreshList() {
  const stored = await (await caches.open(DATA)).match(CONFIG.list, MATCH);
  const when = stored ? Date.parse(stored.headers.get(STAMP) || "") : NaN;
  if (!(Date.now() - when < CONFIG.listAge)) await store(DATA, CONFIG.list);
}

/* Static files: from the cache first when their names change with their content (CONFIG.hashed,
   as in production); otherwise (a developer's machine) from the network while there is one. */
async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const copy = CONFIG.hashed ? await cache.match(request, MATCH) : undefined;
  if (copy) return copy;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const stored = await cache.match(request, MATCH);
    if (stored) return stored;
    throw error;
  }
}
