// The import job page: polls the job's progress (JSON) and updates the bar in place,
// announcing each new stage to screen readers; when the job ends the page is loaded
// again to show its outcome. Without JavaScript the page has a refresh link instead.
(function () {
  "use strict";
  var box = document.getElementById("job-progress-box");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-progress-url");
  var bar = document.getElementById("job-progress");
  var stage = document.getElementById("job-stage");
  var percent = document.getElementById("job-percent");
  var status = document.getElementById("job-status");
  var announce = document.getElementById("job-announce");
  var refresh = document.getElementById("job-refresh");
  var lastSaid = "";
  if (refresh) refresh.parentNode.hidden = true;

  function show(data) {
    if (data.finished) {
      window.location.reload();
      return;
    }
    status.textContent = data.status_label;
    var text = data.status === "draft" ? "Waiting for a worker" : "Importing" + (data.stage ? ": " + data.stage : "");
    stage.textContent = text;
    if (data.percent === null) {
      bar.removeAttribute("value");
      percent.textContent = "";
    } else {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
      percent.textContent = data.percent + "%";
    }
    // Say the stage when it changes, and the percent in steps of 25, not every poll.
    var step = data.percent === null ? "" : " " + (Math.floor(data.percent / 25) * 25) + "%";
    var said = text + step;
    if (said !== lastSaid) {
      announce.textContent = said;
      lastSaid = said;
    }
    window.setTimeout(poll, 1500);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(show)
      .catch(function () {
        if (refresh) refresh.parentNode.hidden = false;
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
