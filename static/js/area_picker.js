// The staff form's areas picker (accounts.forms.AreaTreeWidget): shows the filter box and
// hides the areas whose name (or whose districts' wards' names) do not match. Without
// JavaScript the tree of checkboxes works as it is.
(function () {
  "use strict";
  document.querySelectorAll(".area-picker").forEach(function (picker) {
    var box = picker.querySelector("[data-area-filter]");
    var input = box.querySelector("input");
    var count = box.querySelector("[aria-live]");
    var items = Array.prototype.slice.call(picker.querySelectorAll("li[data-name]"));
    box.hidden = false;

    function filter() {
      var text = input.value.trim().toLowerCase();
      var shown = 0;
      // Children first, so a district stays shown when one of its wards matches.
      items.slice().reverse().forEach(function (li) {
        var match = !text || li.dataset.name.indexOf(text) !== -1;
        var child = li.querySelector("li[data-name]:not([hidden])");
        li.hidden = !(match || child);
        if (match && text) { shown += 1; }
      });
      count.textContent = text ? shown + (shown === 1 ? " area matches" : " areas match") : "";
    }
    input.addEventListener("input", filter);
    // Enter in the filter box must not send the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  });
})();
