// 长辈版 / 大字版: larger text, stronger contrast, wider controls, remembered per browser.
// Loaded in <head> without defer so the page is drawn in the chosen mode from the start.
(function () {
  "use strict";
  var KEY = "portal-display-mode";
  var root = document.documentElement;
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (error) { stored = null; }
  if (stored === "elder") { root.classList.add("mode-elder"); }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-display-mode]");
    if (!button) { return; }
    function sync() {
      var on = root.classList.contains("mode-elder");
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "标准版" : "长辈版";
    }
    sync();
    button.addEventListener("click", function () {
      var on = root.classList.toggle("mode-elder");
      try { window.localStorage.setItem(KEY, on ? "elder" : "standard"); } catch (error) { /* private mode */ }
      sync();
    });
  });
})();
