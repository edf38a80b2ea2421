// Navigation behaviour. The 企业业务 menu opens when it is hovered or focused and on
// click, Enter or Space; it closes when the pointer or the focus leaves it, and on Esc.
// Without JavaScript the CSS :hover / :focus-within rules still open it.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function setOpen(item, open) {
    item.classList.toggle("is-open", open);
    item.querySelector(".submenu-toggle").setAttribute("aria-expanded", open ? "true" : "false");
  }

  document.querySelectorAll("[data-submenu]").forEach(function (item) {
    var toggle = item.querySelector(".submenu-toggle");
    var links = item.querySelectorAll(".submenu a");
    var dismissed = false;

    toggle.addEventListener("click", function () { setOpen(item, true); });
    item.addEventListener("mouseenter", function () { setOpen(item, true); });
    item.addEventListener("mouseleave", function () { setOpen(item, false); });
    item.addEventListener("focusin", function () {
      if (!dismissed) { setOpen(item, true); }
      dismissed = false;
    });
    item.addEventListener("focusout", function (event) {
      if (!item.contains(event.relatedTarget)) { setOpen(item, false); }
    });
    item.addEventListener("keydown", function (event) {
      var index = Array.prototype.indexOf.call(links, document.activeElement);
      if (event.key === "Escape") {
        setOpen(item, false);
        if (document.activeElement !== toggle) {
          dismissed = true;  // focus returns to the toggle without reopening the menu
          toggle.focus();
        }
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
