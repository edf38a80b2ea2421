// A job's page (core/admin/job_detail.html): polls the job's state every second and moves the
// progress bar, done/total and elapsed time; reloads the page once the job has finished, to
// show its report, its file or its error.
(function () {
  "use strict";
  var root = document.querySelector(".job[data-status-url]");
  if (!root || root.dataset.finished === "true") return;
  var bar = document.getElementById("job-progress");
  function text(name, value) {
    var el = root.querySelector("[data-job-" + name + "]");
    if (el) el.textContent = value;
  }
  function poll() {
    fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.total) { bar.max = state.total; bar.value = state.done; }
        text("status", state.status_label);
        text("done", state.done);
        text("total", state.total);
        text("percent", state.percent);
        text("elapsed", state.elapsed_seconds === null ? 0 : state.elapsed_seconds);
        if (state.finished) window.location.reload();
        else window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
