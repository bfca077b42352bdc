/* The doorstep pages' service worker (served at /staff/doorstep/sw.js, scope
   /staff/doorstep/). Pages and our static files: from the network, each copy kept for
   when there is no signal. Visits are not its business: the page queues
   them (static/js/doorstep.js) and POSTs are never intercepted. */
"use strict";
var CACHE = "doorstep-v2";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    // From the network while there is one (so a new release's scripts arrive), else kept.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (hit) {
        return hit || new Response(
          "<!DOCTYPE html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
          "<title>No signal</title><p>No signal, and this page was not opened before. " +
          "Go back to a street you opened earlier: visits you record are kept on the phone.</p>",
          {headers: {"Content-Type": "text/html; charset=utf-8"}});
      });
    }));
  }
});
