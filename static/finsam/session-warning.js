// The warning before an idle session ends (accounts/session_views.py). The page knows how long
// its session has at least left; shortly before the end it asks the server (another tab may
// have moved the end), then shows the warning with a button that keeps the session. At the end
// it reloads the page, which then asks for the login.
(function () {
  "use strict";
  const warning = document.getElementById("session-warning");
  if (!warning) {
    return;
  }
  const form = warning.querySelector("form");
  const url = form.getAttribute("action");
  const lead = Number(warning.dataset.warningSeconds);
  let timer = null;

  function later(seconds, action) {
    window.clearTimeout(timer);
    timer = window.setTimeout(action, Math.max(0, seconds) * 1000);
  }

  function wait(secondsLeft) {
    warning.hidden = true;
    later(secondsLeft - lead, check);
  }

  function show(secondsLeft) {
    const end = new Date(Date.now() + secondsLeft * 1000);
    warning.querySelector("[data-session-end]").textContent = end.toLocaleTimeString("sv-SE", {
      hour: "2-digit",
      minute: "2-digit",
    });
    const wasHidden = warning.hidden;
    warning.hidden = false;
    if (wasHidden) {
      form.querySelector("button").focus();
    }
    later(secondsLeft + 1, check);
  }

  async function check() {
    let answer;
    try {
      answer = await fetch(url, { headers: { Accept: "application/json" }, redirect: "manual" });
    } catch (error) {
      later(30, check); // the network is away; try again soon
      return;
    }
    if (!answer.ok) {
      window.location.reload(); // the session has ended: the page asks for the login
      return;
    }
    const secondsLeft = (await answer.json()).seconds_left;
    if (secondsLeft <= 0) {
      window.location.reload();
    } else if (secondsLeft > lead) {
      wait(secondsLeft);
    } else {
      show(secondsLeft);
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const answer = await fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      redirect: "manual",
    });
    if (!answer.ok) {
      window.location.reload();
      return;
    }
    wait((await answer.json()).seconds_left);
  });

  wait(Number(warning.dataset.secondsLeft));
})();
