// The timeout warning: "You're about to be signed out" (templates/components/timeout-warning.html).
//
// The server puts the seconds left in the page and ends the session itself when they run out;
// this script only warns beforehand. There is no polling: one timer runs to the warning, the
// countdown ticks only while the dialog is open, and "Stay signed in" (the button, or Esc) is
// one POST that the server counts as activity and answers with the new seconds left.
//
// When the time runs out unanswered: if nothing typed on the page would be lost, the page goes
// to /session/timed-out, which leads to the sign-in page with the reason (and back afterwards).
// If something was typed, the page stays as it is: saving it then goes through the sign-in
// page that keeps what was posted, so nothing is lost.
const dialog = document.querySelector("dialog[data-timeout-warning]");

function words(seconds) {
  if (seconds > 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minutes`;
  }
  if (seconds === 60) return "1 minute";
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

// Whether any field on the page (outside the dialog) differs from what the page loaded with.
function typed() {
  for (const field of document.querySelectorAll("input, textarea, select")) {
    if (dialog.contains(field) || field.disabled) continue;
    if (["hidden", "submit", "button", "reset", "image"].includes(field.type)) continue;
    if (field.type === "checkbox" || field.type === "radio") {
      if (field.checked !== field.defaultChecked) return true;
    } else if (field.tagName === "SELECT") {
      const options = [...field.options];
      const initial = options.some((o) => o.defaultSelected)
        ? options.map((o) => o.defaultSelected)
        : options.map((o, i) => i === 0 && !field.multiple);
      if (options.some((o, i) => o.selected !== initial[i])) return true;
    } else if (field.type === "file") {
      if (field.files && field.files.length) return true;
    } else if (field.value !== field.defaultValue) {
      return true;
    }
  }
  return false;
}

if (dialog && typeof dialog.showModal === "function") {
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcer = dialog.querySelector("[data-timeout-announce]");
  const warningState = dialog.querySelector('[data-timeout-state="warning"]');
  const endedState = dialog.querySelector('[data-timeout-state="ended"]');
  const stayButton = dialog.querySelector("[data-timeout-stay]");
  const endedHeading = dialog.querySelector("[data-timeout-ended-heading]");
  let deadline = 0;
  let timer = 0;
  let announcedMinutes = 0;
  let ended = false;
  let returnFocus = null;

  const secondsLeft = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));

  function schedule(seconds) {
    deadline = Date.now() + seconds * 1000;
    window.clearTimeout(timer);
    timer = window.setTimeout(tick, Math.max(0, seconds * 1000 - warningMs));
  }

  function open() {
    returnFocus = document.activeElement;
    warningState.hidden = false;
    endedState.hidden = true;
    announcedMinutes = 0;
    dialog.showModal();
    stayButton.focus();
  }

  function close() {
    if (dialog.open) dialog.close();
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
    returnFocus = null;
  }

  function tick() {
    const left = secondsLeft();
    if (left === 0) {
      expire();
      return;
    }
    if (!dialog.open) open();
    countdown.textContent = words(left);
    // Read out when the whole minutes change, not every second (the visible text ticks).
    const minutes = Math.ceil(left / 60);
    if (minutes !== announcedMinutes) {
      announcedMinutes = minutes;
      announcer.textContent = `We will sign you out in ${words(minutes * 60)}.`;
    }
    timer = window.setTimeout(tick, 1000);
  }

  async function staySignedIn() {
    window.clearTimeout(timer);
    close();
    let left = 0;
    try {
      const response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": dialog.dataset.csrfToken, Accept: "application/json" },
      });
      if (response.ok) left = Number((await response.json()).seconds_left) || 0;
    } catch {
      left = 0; // unreachable: let the server decide when the page next asks it
    }
    if (left > 0) schedule(left);
    else expire();
  }

  function expire() {
    window.clearTimeout(timer);
    if (ended) return;
    ended = true;
    if (!("unsaved" in dialog.dataset) && !typed()) {
      window.location.assign(dialog.dataset.timedOutUrl);
      return;
    }
    warningState.hidden = true;
    endedState.hidden = false;
    dialog.setAttribute("aria-labelledby", "app-timeout-ended-heading");
    dialog.setAttribute("aria-describedby", "app-timeout-ended-text");
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
    endedHeading.focus();
    announcer.textContent = "You have been signed out. What you typed is still on this page.";
  }

  stayButton.addEventListener("click", staySignedIn);
  dialog.querySelector("[data-timeout-close]").addEventListener("click", close);
  dialog.addEventListener("cancel", (event) => {
    // Esc: in the warning it means "Stay signed in"; once signed out it just closes.
    event.preventDefault();
    if (ended) close();
    else staySignedIn();
  });

  // One second of slack: the server must agree the time is up when the page asks.
  schedule(Number(dialog.dataset.secondsLeft) + 1);
}
