/* riskgate console: small progressive enhancements. Every page works without this file.
 *
 * The Content-Security-Policy allows scripts from this site only (no inline scripts, no eval),
 * so behaviour lives here and is attached through data- attributes and htmx events.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : null;
  }

  // htmx requests carry the session's CSRF token in a header (forms also carry it as a field).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token && event.detail.verb !== "get") {
      event.detail.headers["X-CSRF-Token"] = token;
    }
  });

  // A 422 answer is a form re-rendered with its errors: show it rather than ignore it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // <form data-confirm="Really?"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }
  }, true);

  // A secret shown once (a new API token): select it on focus for copying.
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.classList.contains("secret-value")) {
      target.select();
    }
  });

  // Move focus to the error summary of a re-rendered form, so screen readers announce it.
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrors);
  } else {
    focusErrors();
  }
})();
