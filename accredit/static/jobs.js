// Progress of a background job (an evidence pack): ask the server every second or two and
// update the page's live region; when the job ends, reload so the page shows the download or
// the failure with its retry button. Without JavaScript the page's own link does the same.
const panel = document.querySelector("[data-job-status-url]");

if (panel) {
  const url = panel.dataset.jobStatusUrl;
  const message = panel.querySelector("[data-job-message]");
  const bar = panel.querySelector("progress");
  let delay = 1000;

  const poll = async () => {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const job = await response.json();
      if (job.status === "done" || job.status === "failed") {
        window.location.reload();
        return;
      }
      if (bar) bar.value = job.progress;
      if (message) message.textContent = `${job.message || "Waiting to start"} (${job.progress}% done)`;
      delay = 1000;
    } catch {
      delay = Math.min(delay * 2, 10000); // the server is busy or unreachable: back off
    }
    window.setTimeout(poll, delay);
  };
  window.setTimeout(poll, delay);
}
