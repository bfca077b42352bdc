/* The set-up planning page's map: a shape drawn with the draw control (core.maps,
   draw_event) fills the form's hidden shape field and chooses "a shape drawn on the map".
   Without JavaScript, wards or streets are chosen from the lists. */
(function () {
  "use strict";
  var box = document.querySelector(".setup-map");
  if (!box) { return; }
  var form = box.closest("form");
  document.addEventListener(box.getAttribute("data-draw-event"), function (event) {
    var drawn = event.detail;
    var note = document.getElementById("drawn-note");
    if (drawn.radius) {
      note.textContent = "Draw a polygon or a rectangle: a circle is not used for set-ups.";
      return;
    }
    form.querySelector("[name=shape]").value = JSON.stringify(drawn.geojson);
    var radio = form.querySelector("input[name=area_kind][value=shape]");
    if (radio) { radio.checked = true; }
    note.textContent = "The shape you drew is chosen.";
  });
})();
