// Polls an export's state and fills the progress bar until the file is ready.
(function () {
  const box = document.getElementById("export-status");
  if (!box || box.dataset.status === "done" || box.dataset.status === "failed") return;
  const bar = box.querySelector("progress");
  const percent = box.querySelector(".export-percent");
  const link = document.getElementById("export-download");
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((state) => {
        bar.value = state.percent;
        percent.textContent = state.percent;
        if (state.status === "done") {
          link.classList.remove("d-none");
          window.location.reload();
        } else if (state.status === "failed") {
          window.location.reload();
        } else {
          setTimeout(poll, 1500);
        }
      })
      .catch(() => setTimeout(poll, 5000));
  }
  setTimeout(poll, 1000);
})();
