/* Reports kept on the phone while there is no signal: one IndexedDB store shared by the report page (laporan.js)
   and its service worker (sw.js).

   An item, keyed by the form's submission id (id_kiriman, so that a resend is recognised by the store):
     {id, url, token, jenis, isian, indikator, dibuat, status, pesan, tautanDitolak, terkirimPada, jumlah}
   url: where the form posts (the personal link); token: its ``t`` (the page shows only its own person's items);
   jenis: the form's enctype; isian: the FormData entries, File blobs included; indikator: the SKP indicators'
   names by id (from the kept page, for a refused report's text); dibuat / terkirimPada: ms since
   1970; status: "menunggu" (waiting), "ditolak" (refused for good: pesan says why, tautanDitolak whether the
   personal link itself was refused; the text stays to copy) or
   "terkirim" (sent: the entries are dropped, jumlah activities are remembered for the page to say so). */
"use strict";
(function (global) {
  const DB = "pantau-kinerja";
  const STORE = "antrean";
  const FIELDS = ["tanggal", "kegiatan", "id_target", "kuantitas", "durasi_menit", "bukti_dukung", "kendala"];

  function open() {
    return new Promise(function (resolve, reject) {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  /* The activities an item holds, as the form numbers them: [{tanggal, kegiatan, ...}], empty blocks left out
     (the server leaves them out too). */
  function activities(isian) {
    const blocks = {};
    for (const [name, value] of isian || []) {
      const match = /^([a-z_]+)-(\d+)$/.exec(name);
      if (match && FIELDS.includes(match[1]) && typeof value === "string") {
        (blocks[match[2]] = blocks[match[2]] || {})[match[1]] = value;
      }
    }
    return Object.keys(blocks).sort(function (a, b) { return a - b; })
      .map(function (key) { return blocks[key]; })
      .filter(function (block) { return (block.kegiatan || "").trim(); });
  }

  global.Antrean = {
    all: function () { return run("readonly", function (store) { return store.getAll(); }); },
    put: function (item) { return run("readwrite", function (store) { store.put(item); }); },
    remove: function (id) { return run("readwrite", function (store) { store.delete(id); }); },
    activities: activities,
  };
})(self);
