/* The doorstep pages offline: a service worker keeps the pages, and visits recorded
   without signal wait in a queue on the phone (localStorage) until the connection comes
   back. Each visit carries its own key (a UUID), so a resend never counts twice: the
   server keeps one visit per key. Without JavaScript the form is a plain POST. */
(function () {
  "use strict";
  var QUEUE = "doorstep-visits-queue";
  var me = document.currentScript;

  if ("serviceWorker" in navigator && me) {
    navigator.serviceWorker.register(me.getAttribute("data-sw"),
      {scope: me.getAttribute("data-scope")}).catch(function () {});
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); }

  var box = document.getElementById("doorstep-queue");
  function put(selector, text) {
    var el = box && box.querySelector(selector);
    if (el) { el.textContent = text; }
  }
  function show(state) {
    if (!box) { return; }
    var n = load().length;
    box.hidden = false;
    box.classList.toggle("waiting", n > 0);
    put("[data-queue-count]", String(n));
    put("[data-queue-noun]", n === 1 ? "visit" : "visits");
    put("[data-queue-state]", state ||
      (n === 0 ? "All sent." : (navigator.onLine ? "Sending…" : "No signal: they will be sent when the connection returns.")));
  }

  var sending = false;
  function flush() {
    if (sending) { return Promise.resolve(); }
    var items = load();
    if (!items.length) { show(); return Promise.resolve(); }
    sending = true;
    var item = items[0];
    return send(item).then(function (result) {
      save(load().filter(function (x) { return x.fields.key !== item.fields.key; }));
      if (result.rejected) { note("Not saved: " + result.rejected, true); }
      sending = false;
      return flush();
    }, function () {
      // No connection (or the server did not answer): keep it, mark it as sent later.
      var kept = load();
      kept.forEach(function (x) { x.fields.sent_later = "on"; });
      save(kept);
      sending = false;
      show();
    });
  }
  function send(item) {
    var body = new URLSearchParams(item.fields);
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": item.fields.csrfmiddlewaretoken}
    }).then(function (response) {
      if (response.status >= 500) { throw new Error("server"); }
      return response.json().then(function (data) {
        if (data.ok) { return {ok: true, next: data.next}; }
        var errors = data.errors || {};
        var first = Object.keys(errors)[0];
        return {rejected: first ? (errors[first][0].message || errors[first][0]) : "refused"};
      });
    });
  }

  var noteEl = document.querySelector("[data-visit-note]");
  function note(text, bad) {
    if (!noteEl) { return; }
    noteEl.textContent = text;
    noteEl.classList.toggle("errorlist", !!bad);
  }

  var form = document.querySelector("[data-visit-form]");
  if (form) {
    form.addEventListener("submit", function (event) {
      var house = form.querySelector("[name=house]");
      var outcome = form.querySelector("[name=outcome]:checked");
      if (!house.value.trim() || !outcome) { return; } // the server says what is missing
      event.preventDefault();
      var fields = {};
      new FormData(form).forEach(function (value, name) { fields[name] = value; });
      // A key of its own for every visit: the one in the page is for the plain form (a
      // page kept by the service worker would otherwise hand out a key already used).
      fields.key = uuid();
      fields.visited_at = new Date().toISOString();
      var item = {url: form.action || window.location.pathname, fields: fields};
      var items = load();
      items.push(item);
      save(items);
      addDoor(fields.house, outcome.parentElement.textContent.trim());
      house.value = "";
      outcome.checked = false;
      house.focus();
      show();
      if (fields.outcome === "registered" || fields.outcome === "survey") {
        // Registering and taking the survey need the server: send now and open the form
        // it points to; without signal the visit waits in the queue like any other.
        sending = true;
        send(item).then(function (result) {
          sending = false;
          save(load().filter(function (x) { return x.fields.key !== fields.key; }));
          if (result.next) { window.location.href = result.next; return; }
          if (result.rejected) { note("Not saved: " + result.rejected, true); }
          flush();
        }, function () {
          sending = false;
          note("No signal: the visit to " + fields.house + " is kept and will be sent. " +
               "Register them or take the survey once the connection is back.");
          flush();
        });
        return;
      }
      note("Visit to " + fields.house + " recorded.");
      flush();
    });
  }
  function addDoor(house, label) {
    var list = document.querySelector("[data-doors]");
    if (!list) { return; }
    var empty = document.querySelector("[data-doors-empty]");
    if (empty) { empty.hidden = true; }
    var li = document.createElement("li");
    li.className = "door";
    var strong = document.createElement("strong");
    strong.textContent = house;
    li.appendChild(strong);
    li.appendChild(document.createTextNode(" · " + label));
    list.insertBefore(li, list.firstChild);
  }

  window.addEventListener("online", function () { flush(); });
  window.addEventListener("offline", function () { show(); });
  setInterval(function () { if (load().length) { flush(); } }, 10000);
  show();
  flush();
})();
