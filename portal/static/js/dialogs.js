// Records pop-ups (查看 / 填报): native modal dialogs, so focus stays inside and Esc closes them.
// Without JavaScript the links reload the page with the dialog rendered open.
(function () {
  "use strict";
  function openDialog(dialog, opener) {
    dialog.portalOpener = opener;
    if (dialog.open) dialog.close();
    dialog.showModal();
  }
  document.querySelectorAll("a.open-dialog[data-dialog]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var dialog = document.getElementById(link.dataset.dialog);
      if (!dialog || typeof dialog.showModal !== "function") return;
      event.preventDefault();
      openDialog(dialog, link);
    });
  });
  document.querySelectorAll("dialog.records-dialog").forEach(function (dialog) {
    var close = dialog.querySelector(".close-dialog");
    if (close) {
      close.addEventListener("click", function (event) {
        event.preventDefault();
        dialog.close();
      });
    }
    // A modal dialog makes the page behind it inert, but Tab past its last control would
    // leave the document; keep it going round inside the dialog instead.
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Tab") return;
      var focusable = Array.prototype.filter.call(
        dialog.querySelectorAll("a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea, summary"),
        function (element) {
          // The inside of a closed <details> still has boxes (content-visibility: hidden).
          return typeof element.checkVisibility === "function" ? element.checkVisibility() : element.offsetParent !== null;
        }
      );
      if (!focusable.length) return;
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    dialog.addEventListener("close", function () {
      if (dialog.portalOpener) dialog.portalOpener.focus();
      if (window.location.search) window.history.replaceState(null, "", window.location.pathname);
    });
    if (dialog.hasAttribute("data-autoopen") && typeof dialog.showModal === "function") {
      openDialog(dialog, document.querySelector('[data-dialog="' + dialog.id + '"]'));
    }
  });
})();
