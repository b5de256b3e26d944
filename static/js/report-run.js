// Progressive enhancement of a report run's page: follow its progress without reloading, then reload
// once it is finished so that the download appears. Without JavaScript the page's "Refresh" link does this.
(function () {
  "use strict";
  var box = document.querySelector("[data-run-status]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-run-text]");
  var statusUrl = box.getAttribute("data-run-status");

  function poll() {
    fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        if (data.finished) {
          window.location.reload();
          return;
        }
        text.textContent = data.message;
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
