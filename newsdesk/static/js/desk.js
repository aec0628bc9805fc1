// The live desk: posts, edits and toggles without reloading the page, keeps
// the editor's text when the server refuses a change, and shows colleagues'
// changes as they happen. Without JavaScript every form still posts and
// redirects back here.
const desk = document.querySelector("[data-live-desk]");
const topStatus = desk.querySelector(".live-desk__status");
let refreshTimer = 0;
// The desk's text in the editor's language (English when absent).
const phrase = (name, english, status = "") =>
  (desk.dataset[name] || english).replace("{status}", status);

function say(message, isError, form) {
  const line = document.createElement("p");
  line.className = isError ? "help-block help-critical live-desk__error" : "help-block live-desk__ok";
  line.textContent = message;
  // Next to the form the editor used, when it has a place for it.
  (form?.querySelector(".live-desk__form-status") || topStatus).replaceChildren(line);
}

// Replaces the list of entries with a fresh copy, except the entries whose
// editor is open: the editor's unsaved text stays (and if the entry changed
// meanwhile, saving says so instead of overwriting).
async function refreshEntries() {
  const response = await fetch(location.href, { headers: { Accept: "text/html" } });
  if (!response.ok || response.redirected) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.querySelector(".live-desk__entries");
  const list = desk.querySelector(".live-desk__entries");
  if (!fresh || !list) return;
  const open = new Map(
    [...list.querySelectorAll(":scope > [data-entry]")]
      .filter((item) => item.querySelector("details[open]"))
      .map((item) => [item.dataset.entry, item]),
  );
  list.replaceChildren(
    ...[...fresh.children].map((item) => open.get(item.dataset.entry) || document.adoptNode(item)),
  );
}

function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refreshEntries, 200);
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
    if (response.redirected) {
      say(
        phrase(
          "sessionEnded",
          "Your session has ended. Log in again in another tab, then send this again: your text is kept.",
        ),
        true,
        form,
      );
      return;
    }
    let data = {};
    try {
      data = await response.json();
    } catch {
      data = {
        error: phrase(
          "serverAnswered",
          "The server answered {status}. Your text is kept; try again.",
          response.status,
        ),
      };
    }
    if (!response.ok || data.error) {
      say(data.error || phrase("refused", "Refused ({status}).", response.status), true, form);
      return; // the form keeps the editor's text
    }
    say(data.message, false);
    if (form.dataset.deskForm === "compose") {
      form.reset();
      form.querySelector("textarea")?.focus();
    }
    const editor = form.closest("details");
    if (editor) editor.open = false;
    await refreshEntries();
  } catch {
    say(phrase("connectionFailed", "The connection failed. Your text is kept; try again."), true, form);
  } finally {
    button.disabled = false;
  }
});

// Colleagues' posts, edits and deletions arrive on the blog's public stream.
if (desk.dataset.stream && window.EventSource) {
  const stream = new EventSource(desk.dataset.stream);
  for (const op of ["add", "edit", "delete", "pin", "unpin", "reset"]) {
    stream.addEventListener(op, refreshSoon);
  }
  stream.addEventListener("end", () => {
    stream.close();
    location.reload();
  });
}
