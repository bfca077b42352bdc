/* The compose page's map: a shape or circle drawn with the draw control (core.maps,
   draw_event) fills the form's hidden fields and chooses that kind of audience. Without
   JavaScript the page still works: a postcode and a radius make the circle. */
(function () {
  "use strict";
  var box = document.querySelector(".audience-map");
  if (!box) { return; }
  var form = box.closest("form");
  function field(name) { return form.querySelector("[name=" + name + "]"); }
  function choose(kind) {
    var radio = form.querySelector("input[name=kind][value=" + kind + "]");
    if (radio) { radio.checked = true; }
  }
  document.addEventListener(box.getAttribute("data-draw-event"), function (event) {
    var drawn = event.detail;
    var note = document.getElementById("drawn-note");
    if (drawn.radius) {
      field("circle_lng").value = drawn.geojson.coordinates[0];
      field("circle_lat").value = drawn.geojson.coordinates[1];
      field("radius_m").value = Math.round(drawn.radius);
      field("shape").value = "";
      choose("circle");
      note.textContent = "A circle of " + Math.round(drawn.radius) + " m is chosen.";
    } else {
      field("shape").value = JSON.stringify(drawn.geojson);
      field("circle_lat").value = "";
      field("circle_lng").value = "";
      choose("shape");
      note.textContent = "The shape you drew is chosen.";
    }
  });
})();
