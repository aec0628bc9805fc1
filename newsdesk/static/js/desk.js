// The live desk: posts, edits and toggles without reloading the page, and
// keeps the editor's text when the server refuses a change.
const desk = document.querySelector("[data-live-desk]");
const status = desk.querySelector(".live-desk__status");

function say(message, isError) {
  const line = document.createElement("p");
  line.className = isError ? "help-block help-critical live-desk__error" : "help-block live-desk__ok";
  line.textContent = message;
  status.replaceChildren(line);
}

async function refreshEntries() {
  const response = await fetch(location.href, { headers: { Accept: "text/html" } });
  const html = await response.text();
  const fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".live-desk__entries");
  if (fresh) desk.querySelector(".live-desk__entries").replaceWith(fresh);
}

desk.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-desk-form]");
  if (!form) return;
  event.preventDefault();
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = { error: `The server answered ${response.status}. Your text is kept; try again.` };
    }
    if (!response.ok || data.error) {
      say(data.error || `Refused (${response.status}).`, true);
      return; // the form keeps the editor's text
    }
    say(data.message, false);
    if (form.dataset.deskForm === "compose") form.reset();
    await refreshEntries();
  } catch {
    say("The connection failed. Your text is kept; try again.", true);
  } finally {
    button.disabled = false;
  }
});
