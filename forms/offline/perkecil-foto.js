/* Pantau Kinerja: shrink the report's photos on the phone before they are sent.
 * On each photo input's change: every chosen image is drawn on a canvas with its longest side at most 1600 px and
 * encoded as JPEG (quality 0.8), a few hundred KB instead of several MB; the input's files are replaced through a
 * DataTransfer, so the form sends the small ones. An image the browser cannot read, or a browser without these
 * APIs, keeps the original: the server checks and cleans every photo anyway. Without JavaScript the originals go. */
(function () {
  "use strict";
  var LONGEST = 1600;
  var QUALITY = 0.8;

  function load(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("unreadable")); };
      img.src = url;
    });
  }

  function shrink(file) {
    if (!/^image\//.test(file.type)) {
      return Promise.resolve(file);
    }
    return load(file).then(function (image) {
      var scale = Math.min(1, LONGEST / Math.max(image.width, image.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(image.width * scale);
      canvas.height = Math.round(image.height * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) {
            resolve(file);
            return;
          }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function onChange(event) {
    var input = event.target;
    if (!window.DataTransfer || !input.files || input.files.length === 0 || input.dataset.diperkecil === "1") {
      return;
    }
    var form = input.form;
    var pending = Array.prototype.map.call(input.files, shrink);
    form.dataset.memperkecil = String(Number(form.dataset.memperkecil || "0") + 1);
    Promise.all(pending).then(function (files) {
      var transfer = new DataTransfer();
      files.forEach(function (f) { transfer.items.add(f); });
      input.dataset.diperkecil = "1";  // setting files fires no change event, but be sure not to shrink twice
      input.files = transfer.files;
    }).finally(function () {
      input.dataset.diperkecil = "";
      form.dataset.memperkecil = String(Number(form.dataset.memperkecil) - 1);
      if (form.dataset.memperkecil === "0" && form.dataset.kirimTertunda) {
        var button = document.getElementById(form.dataset.kirimTertunda);
        delete form.dataset.kirimTertunda;
        form.requestSubmit(button || undefined);
      }
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (Number(form.dataset.memperkecil || "0") > 0) {  // still shrinking: send once the photos are ready
      event.preventDefault();
      form.dataset.kirimTertunda = (event.submitter && event.submitter.id) || "-";
    }
  }

  var forms = [];
  document.querySelectorAll("input.foto-bukti").forEach(function (input) {
    input.addEventListener("change", onChange);
    if (input.form && forms.indexOf(input.form) < 0) {
      forms.push(input.form);
      input.form.addEventListener("submit", onSubmit);
    }
  });
})();
