/* The doorstep pages' service worker (served at /staff/doorstep/sw.js, scope
   /staff/doorstep/). Pages: from the network, kept for when there is no signal; our
   static files: from the cache first. Visits are not its business: the page queues
   them (static/js/doorstep.js) and POSTs are never intercepted. */
"use strict";
var CACHE = "doorstep-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      });
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
