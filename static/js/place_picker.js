// Place a point by tapping the map (core.maps map): fills the form's hidden latitude and
// longitude, which the server prefers to the postcode. Without JavaScript, the postcode.
(function () {
  "use strict";
  var el = document.querySelector(".place-map .folium-map");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var said = document.getElementById("map-picked");
  if (!el || !lat || !lng || !window[el.id] || !window.L) { return; }
  var map = window[el.id];
  var marker = null;
  function place(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(latlng); } else { marker = window.L.circleMarker(latlng, { radius: 8 }).addTo(map); }
    if (said) { said.textContent = "Placed on the map at " + lat.value + ", " + lng.value + "."; }
  }
  if (lat.value && lng.value) { place(window.L.latLng(+lat.value, +lng.value)); }
  map.on("click", function (e) { place(e.latlng); });
}());
