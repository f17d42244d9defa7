// "Salin ke e-Kinerja": one tap copies a text area's text. The Clipboard API first; where it is missing or refused,
// the text area is selected and copied the old way, and if that fails too the selection stays for the person to
// copy by hand. Without this script the buttons stay hidden and the text areas are there to select.
(function () {
  "use strict";
  var status = document.getElementById("status-salin");

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function selectAndCopy(area) {
    area.focus();
    area.select();
    area.setSelectionRange(0, area.value.length);
    try {
      return document.execCommand("copy");
    } catch (err) {
      return false;
    }
  }

  function copy(button) {
    var area = document.getElementById(button.getAttribute("data-salin"));
    var done = function () {
      say(button.getAttribute("data-tersalin"));
      // Seen where the thumb is, too: the status line may be out of view on a phone.
      var label = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", label);
      button.textContent = "Tersalin \u2713";
      window.setTimeout(function () {
        button.textContent = label;
      }, 2500);
    };
    var fallback = function () {
      if (selectAndCopy(area)) {
        done();
      } else {
        say("Teks sudah dipilih: tekan lama pada teks lalu pilih Salin.");
      }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(area.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  var buttons = document.querySelectorAll("button[data-salin]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button);
    });
  });
})();
