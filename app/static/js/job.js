// The job page's progress bar: asks the job's state every second and, once it is done, shows
// the download link. Without JavaScript the page offers a link to reload it instead.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var bar = document.getElementById("job-progress");
  var status = document.getElementById("job-status");
  var download = document.getElementById("job-download");
  var wait = document.getElementById("job-wait");
  if (!wait) return; // already finished when the page was made

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
      .then(function (job) {
        if (job.total || job.state === "done") bar.value = job.percent;
        if (job.message) {
          wait.hidden = true;
          status.textContent = job.message;
        } else if (job.download) {
          var link = download.querySelector("a");
          link.href = job.download;
          link.textContent = box.dataset.textDownload.replace("{name}", job.filename);
          download.hidden = false;
          wait.hidden = true;
          status.textContent = box.dataset.textDone;
        } else if (job.state === "failed") {
          window.location.reload();
        } else {
          if (job.state === "running" && job.total) {
            status.textContent = box.dataset.textRunning
              .replace("{done}", job.done.toLocaleString(document.documentElement.lang))
              .replace("{total}", job.total.toLocaleString(document.documentElement.lang));
          }
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
})();
