// Navigation behaviour: the 企业业务 menu opens on hover (CSS), on focus and on click or
// Enter/Space, closes with Esc or when focus leaves it; the phone-width menu toggles.
(function () {
  "use strict";

  function setOpen(item, open) {
    item.classList.toggle("is-open", open);
    item.querySelector(".submenu-toggle").setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.querySelectorAll("[data-submenu]").forEach(function (item) {
    var toggle = item.querySelector(".submenu-toggle");
    var links = item.querySelectorAll(".submenu a");

    toggle.addEventListener("click", function () {
      setOpen(item, !item.classList.contains("is-open"));
    });
    item.addEventListener("mouseenter", function () { setOpen(item, true); });
    item.addEventListener("mouseleave", function () { setOpen(item, false); });
    item.addEventListener("focusout", function (event) {
      if (!item.contains(event.relatedTarget)) { setOpen(item, false); }
    });
    item.addEventListener("keydown", function (event) {
      var index = Array.prototype.indexOf.call(links, document.activeElement);
      if (event.key === "Escape") {
        setOpen(item, false);
        toggle.focus();
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        setOpen(item, true);
        links[Math.min(index + 1, links.length - 1)].focus();
      } else if (event.key === "ArrowUp" && index > -1) {
        event.preventDefault();
        if (index === 0) { toggle.focus(); } else { links[index - 1].focus(); }
      }
    });
  });

  var navToggle = document.querySelector(".nav-toggle");
  if (navToggle) {
    navToggle.addEventListener("click", function () {
      var open = navToggle.getAttribute("aria-expanded") !== "true";
      navToggle.setAttribute("aria-expanded", open ? "true" : "false");
      document.getElementById(navToggle.getAttribute("aria-controls")).classList.toggle("is-open", open);
    });
  }
})();
