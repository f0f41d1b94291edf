// マイナ資格確認アプリ: live reader status, the PIN pad and copy-as-text. Loaded from /assets (CSP: script-src 'self').
(function () {
  "use strict";
  var body = document.body;

  // PIN pad: digits go into the masked field; 4 digits at most.
  var pin = document.getElementById("pin");
  document.querySelectorAll("[data-key]").forEach(function (key) {
    key.addEventListener("click", function () {
      if (!pin) { return; }
      var k = key.getAttribute("data-key");
      if (k === "clear") { pin.value = ""; }
      else if (k === "back") { pin.value = pin.value.slice(0, -1); }
      else if (pin.value.length < 4) { pin.value += k; }
    });
  });

  // Copy the result text to the clipboard.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var area = document.getElementById(button.getAttribute("data-copy"));
      if (!area) { return; }
      var done = function () { button.textContent = "コピーしました"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(area.value).then(done, function () { area.select(); document.execCommand("copy"); done(); });
      } else { area.select(); document.execCommand("copy"); done(); }
    });
  });

  // One action at a time: after a form is submitted its buttons are disabled (after the submit, so the pressed
  // button's name/value still goes with it) and a busy state is shown.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      body.classList.add("busy");
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  // Live status: reader and card presence; reload when the flow moved on without us (idle logout).
  var status = document.querySelector("[data-reader-status]");
  var needsCard = document.querySelectorAll("[data-needs-card]");
  var version = body.getAttribute("data-flow-version");
  if (!version) { return; }
  var polling = false;
  function poll() {
    if (polling || body.classList.contains("busy")) { return; }
    polling = true;
    fetch("/status", { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        if (String(s.flowVersion) !== version) { window.location.reload(); return; }
        if (status) {
          status.textContent = s.readerText;
          status.classList.toggle("present", s.cardPresent);
          status.classList.toggle("absent", !s.cardPresent);
        }
        needsCard.forEach(function (b) { b.disabled = !s.cardPresent; });
      })
      .catch(function () { if (status) { status.textContent = "アプリとの通信が途切れました。"; } })
      .then(function () { polling = false; });
  }
  setInterval(poll, 1000);
})();
