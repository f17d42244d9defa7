/* The report page's offline part: registers the service worker (sw.js), says which reports wait on the phone and
   which went, keeps a refused report's text to copy, and asks the worker to send when the connection returns.
   Also on the page of a refused link (no form there): what the phone kept for that link, to copy.
   Without JavaScript (or without service workers) the form posts as before. */
"use strict";
(function () {
  const form = document.getElementById("form-laporan");
  const status = document.getElementById("antrean");
  const refused = document.getElementById("antrean-ditolak");
  if (!status || !refused || !("serviceWorker" in navigator) || !self.indexedDB || !self.Antrean) return;
  const token = new URL(location.href).searchParams.get("t") || "";
  const WHEN = { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" };
  const FIELDS = [["tanggal", "Tanggal"], ["kegiatan", "Kegiatan"], ["id_target", "Indikator SKP"],
    ["kuantitas", "Kuantitas"], ["durasi_menit", "Durasi (menit)"], ["bukti_dukung", "Bukti dukung"],
    ["kendala", "Kendala"]];
  let note = "";
  let tries = 0;
  let timer = 0;

  function when(ms) {
    return new Date(ms).toLocaleString("id-ID", WHEN);
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  function day(iso) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!parts) return iso;
    const date = new Date(Date.UTC(+parts[1], parts[2] - 1, +parts[3]));
    return date.toLocaleDateString("id-ID", { weekday: "long", day: "numeric", month: "long", year: "numeric",
      timeZone: "UTC" });
  }

  function indicator(item, id) {
    const option = form && form.querySelector('select[name^="id_target-"] option[value="' + CSS.escape(id) + '"]');
    return option ? option.textContent.trim() : (item.indikator || {})[id] || id;
  }

  /* A refused report as text a person can paste elsewhere (a chat to the supervisor, the form later). */
  function asText(item) {
    return Antrean.activities(item.isian).map(function (block, i) {
      const lines = ["Kegiatan " + (i + 1)];
      for (const [name, label] of FIELDS) {
        let value = block[name];
        if (value && name === "id_target") value = indicator(item, value);
        if (value && name === "tanggal") value = day(value);
        if (value && value.trim()) lines.push(label + ": " + value.trim());
      }
      return lines.join("\n");
    }).join("\n\n");
  }

  /* The photos (or other files) a kept report holds. */
  function files(item) {
    return (item.isian || []).filter(function ([, value]) { return typeof value !== "string" && value.size > 0; })
      .map(function ([, value]) { return value; });
  }

  function summary(item) {
    const blocks = Antrean.activities(item.isian);
    const first = blocks.length ? blocks[0].kegiatan.trim() : "";
    const more = blocks.length > 1 ? " (dan " + (blocks.length - 1) + " kegiatan lain)" : "";
    const photos = files(item).length ? ", dengan " + files(item).length + " foto" : "";
    return "Dibuat " + when(item.dibuat) + (first ? ": " + first.slice(0, 80) + more : "") + photos;
  }

  function showWaiting(waiting, sent) {
    status.replaceChildren();
    if (note) status.append(element("div", { class: "alert alert-info" }, note));
    if (waiting.length) {
      const box = element("div", { class: "alert alert-info", id: "antrean-menunggu" });
      box.append(element("strong", {}, waiting.length + " laporan tersimpan di ponsel, terkirim otomatis saat ada sinyal."));
      const list = element("ul");
      for (const item of waiting) list.append(element("li", {}, summary(item)));
      box.append(list);
      status.append(box);
    }
    if (sent.length) {
      const last = Math.max.apply(null, sent.map(function (item) { return item.terkirimPada; }));
      const count = sent.reduce(function (n, item) { return n + (item.jumlah || 0); }, 0);
      const box = element("div", { class: "alert alert-ok", id: "antrean-terkirim" });
      box.append(element("strong", {}, sent.length + " laporan dari ponsel sudah terkirim dan tercatat (" + count +
        " kegiatan), terakhir " + when(last) + "."));
      const close = element("button", { type: "button" }, "Tutup pesan terkirim");
      close.addEventListener("click", function () {
        Promise.all(sent.map(function (item) { return Antrean.remove(item.id); })).then(show);
      });
      const actions = element("div");
      actions.append(close);
      box.append(actions);
      status.append(box);
    }
  }

  function showRefused(items) {
    refused.replaceChildren();
    items.forEach(function (item, i) {
      const box = element("div", { class: "alert alert-error", role: "alert", id: "ditolak-" + (i + 1) });
      box.append(element("strong", {}, "Laporan yang tersimpan di ponsel tidak terkirim."));
      box.append(element("p", {}, item.pesan));
      if (item.tautanDitolak) {
        const help = element("p", {}, "Salin teksnya di bawah, lalu kirim lagi lewat tautan baru. ");
        help.append(element("a", { href: "resend_link" }, "Minta tautan baru"));
        box.append(help);
      } else {
        box.append(element("p", {}, "Salin teksnya di bawah, perbaiki, lalu kirim lagi lewat formulir laporan."));
      }
      const id = "teks-ditolak-" + (i + 1);
      const made = "dibuat " + when(item.dibuat);
      box.append(element("label", { for: id }, "Teks laporan yang tidak terkirim, " + made));
      const text = element("textarea", { id: id, readonly: "", rows: "6" });
      text.value = asText(item);
      box.append(text);
      const copy = element("button", { type: "button" }, "Salin teks laporan");
      copy.append(element("span", { class: "visually-hidden" }, " yang " + made));
      copy.addEventListener("click", function () {
        text.select();
        const done = function () { copy.firstChild.textContent = "Teks tersalin"; };
        (navigator.clipboard ? navigator.clipboard.writeText(text.value) : Promise.reject())
          .then(done, function () { if (document.execCommand("copy")) done(); });
      });
      const drop = element("button", { type: "button" }, "Hapus dari ponsel");
      drop.append(element("span", { class: "visually-hidden" }, ": laporan yang " + made));
      drop.addEventListener("click", function () { Antrean.remove(item.id).then(show); });
      const actions = element("div", { class: "actions" });
      actions.append(copy, drop);
      box.append(actions);
      files(item).forEach(function (file, n) {  // photos cannot be pasted: each can be saved back to the phone
        const save = element("a", { href: URL.createObjectURL(file), download: file.name || "foto.jpg" },
          "Simpan foto " + (n + 1) + " ke ponsel");
        save.append(element("span", { class: "visually-hidden" }, " (laporan yang " + made + ")"));
        const line = element("div");
        line.append(save);
        box.append(line);
      });
      refused.append(box);
    });
  }

  function show() {
    return Antrean.all().then(function (items) {
      const mine = items.filter(function (item) { return item.token === token; })
        .sort(function (a, b) { return a.dibuat - b.dibuat; });
      const of = function (state) { return mine.filter(function (item) { return item.status === state; }); };
      showWaiting(of("menunggu"), of("terkirim"));
      showRefused(of("ditolak"));
      again(of("menunggu").length);
    });
  }

  /* While reports wait and the phone says it is online, ask again, less and less often (2 s, 4 s, ... 1 minute):
     the signal may be weak, the server busy, or the worker's network back a moment after the page's. */
  function again(waiting) {
    clearTimeout(timer);
    if (!waiting || !navigator.onLine) {
      tries = 0;
      return;
    }
    timer = setTimeout(send, Math.min(60000, 2000 * Math.pow(2, tries++)));
  }

  function send() {
    return navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ perintah: "kirim" });
    });
  }

  if (form) {  // the worker is registered by the form's page only
    const controlled = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.register(status.dataset.sw, { scope: status.dataset.swScope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // The first visit was not through the worker: keep this page for offline use now.
      if (!controlled && registration.active) {
        registration.active.postMessage({ perintah: "simpan-halaman", url: location.href });
      }
    });
  }
  if (navigator.onLine) send();
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.jenis === "antrean") show();
  });
  self.addEventListener("online", function () { note = ""; send(); show(); });
  if (form) {
    form.addEventListener("submit", function (event) {
      const adding = event.submitter && event.submitter.value === "tambah";
      if (adding && !navigator.onLine) {
        event.preventDefault();
        note = "Menambah kegiatan perlu sinyal. Kirim dulu kegiatan yang sudah diisi (laporan tersimpan di ponsel), " +
          "lalu isi kegiatan berikutnya.";
        show();
      }
    });
  }
  show();
})();
