/* The report page's service worker (scope: the personal links, submit_report?t=...).

   * Pages and files: network first (fresh when online), the kept copy when offline; each personal page is kept
     under its own address. A page served from the kept copy gets a fresh submission id, as a GET from the server
     would: a report made from it is a new submission.
   * A report posted without signal (the fetch fails) is kept in IndexedDB (antrean.js) with its submission id and
     the whole form data, files included, and the browser is sent back to the page, which says what waits.
   * Waiting reports go by themselves: on Background Sync where the browser has it, and when the page asks (it does
     on load and on the "online" event). Each is sent with a fresh CSRF token from its page; the server records a
     submission id once, so a resend after a lost answer is harmless. A 4xx that a resend cannot fix (a revoked
     link, a refused report) stops the resending and keeps the text to copy; a 5xx or no network keeps it waiting.
   Online, the form's POST goes to the server unchanged. */
"use strict";
importScripts("submit_report?aset=antrean.js");

const FILE_CACHE = "pantau-kinerja-berkas-2";  // a new version of the files: a new name, the old cache dropped
const PAGE_CACHE = "pantau-kinerja-halaman";  // the personal pages, kept across versions of the worker
const SYNC_TAG = "kirim-laporan";
const SCOPE_PATH = new URL(self.registration.scope).pathname;
const FILES = ["antrean.js", "laporan.js", "perkecil-foto.js", "ikon-192.png", "ikon-512.png"]
  .map(function (name) { return new URL("submit_report?aset=" + name, self.location).href; });
const LINK_REFUSED = "Tautan pribadi Anda tidak berlaku lagi, jadi laporan ini tidak dapat dikirim.";
const REPORT_REFUSED = "Laporan ini ditolak server dan tidak dikirim ulang.";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(FILE_CACHE).then(function (cache) { return cache.addAll(FILES); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys()
    .then(function (names) {
      return Promise.all(names.filter(function (name) { return name !== FILE_CACHE && name !== PAGE_CACHE; })
        .map(function (name) { return caches.delete(name); }));
    })
    .then(function () { return self.clients.claim(); }));
});

function ours(url) {
  return url.origin === self.location.origin && url.pathname === SCOPE_PATH;
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (!ours(new URL(request.url))) return;
  if (request.method === "GET") event.respondWith(networkFirst(request));
  else if (request.method === "POST" && request.mode === "navigate") event.respondWith(sendOrKeep(request));
});

function cacheFor(address) {
  return caches.open(new URL(address).searchParams.has("aset") ? FILE_CACHE : PAGE_CACHE);
}

async function networkFirst(request) {
  const cache = await cacheFor(request.url);
  let answer;
  try {
    answer = await fetch(request);
  } catch (error) {
    const kept = await cache.match(request.url) || (request.mode === "navigate" && await keptPageOf(request.url));
    if (!kept) throw error;
    return request.mode === "navigate" ? withFreshId(kept) : kept;
  }
  if (answer.status === 200 && answer.type === "basic") await cache.put(request.url, answer.clone());
  else if (answer.status >= 400 && answer.status < 500) await cache.delete(request.url);  // a revoked link
  return answer;
}

/* Another kept page of the same person (the same ``t``), for an address never opened online (the form's own
   address after a report was kept, when the person had opened the page with ``salin=1``). */
async function keptPageOf(address) {
  const cache = await caches.open(PAGE_CACHE);
  const token = new URL(address).searchParams.get("t");
  if (!token) return undefined;
  for (const request of await cache.keys()) {
    if (new URL(request.url).searchParams.get("t") === token) return cache.match(request);
  }
  return undefined;
}

async function withFreshId(kept) {
  const text = (await kept.text()).replace(/name="id_kiriman" value="[^"]*"/, 'name="id_kiriman" value="' + newId() + '"');
  const headers = new Headers(kept.headers);
  headers.delete("Content-Length");
  return new Response(text, { status: kept.status, statusText: kept.statusText, headers: headers });
}

function newId() {
  return self.crypto.randomUUID().replace(/-/g, "");
}

async function sendOrKeep(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (error) {
    const form = await copy.formData();
    if (form.get("aksi") !== "tambah") await keep(copy, form);  // adding a block needs the server: nothing to keep
    return Response.redirect(request.url, 303);
  }
}

function keepPage(address) {
  return caches.open(PAGE_CACHE).then(function (cache) { return cache.add(address); }).catch(function () {});
}

async function keep(request, form) {
  const sent = form.get("id_kiriman");
  const page = await caches.open(PAGE_CACHE).then(function (cache) { return cache.match(request.url); })
    || await keptPageOf(request.url);
  await Antrean.put({
    id: typeof sent === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(sent) ? sent : newId(),
    url: request.url,
    token: new URL(request.url).searchParams.get("t") || "",
    jenis: (request.headers.get("Content-Type") || "").split(";")[0].trim(),
    isian: Array.from(form.entries()),
    indikator: page ? indicators(await page.text()) : {},
    dibuat: Date.now(),
    status: "menunggu",
  });
  if (self.registration.sync) {
    await self.registration.sync.register(SYNC_TAG).catch(function () { return undefined; });
  }
  await tellPages();
}

self.addEventListener("sync", function (event) {
  if (event.tag !== SYNC_TAG) return;
  // A rejection asks the browser to try again later.
  event.waitUntil(sendAll().then(function (done) { if (!done) throw new Error("laporan masih menunggu sinyal"); }));
});

self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.perintah === "kirim") event.waitUntil(sendAll());
  else if (data.perintah === "simpan-halaman" && ours(new URL(data.url, self.location))) {
    event.waitUntil(keepPage(data.url));
  }
});

let sending = null;

/* Sends every waiting report, one at a time and one run at a time; true when none is left waiting. */
function sendAll() {
  if (!sending) sending = sendWaiting().finally(function () { sending = null; });
  return sending;
}

async function sendWaiting() {
  const waiting = (await Antrean.all()).filter(function (item) { return item.status === "menunggu"; })
    .sort(function (a, b) { return a.dibuat - b.dibuat; });
  let done = true;
  for (const item of waiting) {
    if (!(await sendOne(item))) { done = false; break; }  // no signal, or the server is down: later
  }
  if (waiting.length) await tellPages();
  return done;
}

function retryable(status) {
  return status >= 500 || status === 408 || status === 429;
}

/* One report: its page first (a fresh CSRF token, and whether the link still holds), then the post. False when it
   must wait longer. */
async function sendOne(item) {
  let page;
  try {
    page = await fetch(item.url, { credentials: "same-origin", cache: "no-store" });
  } catch (error) {
    return false;
  }
  if (!page.ok) {
    if (retryable(page.status)) return false;
    await caches.open(PAGE_CACHE).then(function (cache) { return cache.delete(item.url); });  // a revoked link
    return refuse(item, LINK_REFUSED, await page.text(), true);
  }
  const csrf = (/name="csrf" value="([^"]*)"/.exec(await page.text()) || [])[1] || "";
  let answer;
  try {
    answer = await fetch(item.url, {
      method: "POST", body: body(item, csrf), credentials: "same-origin", cache: "no-store",
    });
  } catch (error) {
    return false;
  }
  if (answer.ok) {
    await Antrean.put({
      id: item.id, url: item.url, token: item.token, dibuat: item.dibuat, status: "terkirim",
      terkirimPada: Date.now(), jumlah: Antrean.activities(item.isian).length,
    });
    await keepPage(item.url);  // its latest activities now list this report
    return true;
  }
  return retryable(answer.status) ? false : refuse(item, REPORT_REFUSED, await answer.text(), false);
}

function body(item, csrf) {
  const entries = item.isian.map(function ([name, value]) { return [name, name === "csrf" ? csrf : value]; });
  if (item.jenis === "multipart/form-data") {
    const form = new FormData();
    for (const [name, value] of entries) {
      if (typeof value === "string") form.append(name, value);
      else form.append(name, value, value.name);
    }
    return form;
  }
  const fields = new URLSearchParams();
  for (const [name, value] of entries) if (typeof value === "string") fields.append(name, value);
  return fields;
}

async function refuse(item, why, page, link) {
  const reason = serverMessage(page);
  item.status = "ditolak";
  item.tautanDitolak = link;
  item.pesan = reason ? why + " " + reason : why;
  await Antrean.put(item);
  return true;
}

/* The server's own words on a refused page: the error page's message, or the form's error summary. */
function serverMessage(page) {
  const match = /id="pesan-galat">([\s\S]*?)<\/p>/.exec(page) || /id="ringkasan-galat">([\s\S]*?)<\/div>/.exec(page);
  return match ? unescape(match[1].replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim() : "";
}

/* The SKP indicators' names on a kept page, by id: a refused report's text names them, also where no form shows. */
function indicators(page) {
  const names = {};
  const select = /<select id="id_target-0"[\s\S]*?<\/select>/.exec(page);
  const option = /<option value="([^"]+)"[^>]*>([^<]*)<\/option>/g;
  for (const [, id, name] of (select ? select[0] : "").matchAll(option)) names[unescape(id)] = unescape(name).trim();
  return names;
}

function unescape(text) {
  const entities = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#34;": '"', "&quot;": '"', "&#39;": "'" };
  return text.replace(/&(amp|lt|gt|quot|#34|#39);/g, function (entity) { return entities[entity]; });
}

async function tellPages() {
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const page of pages) page.postMessage({ jenis: "antrean" });
}
