// Reader discussion, in place. The article page is the same for every
// reader (it may come from a cache); this script fetches the reader's own
// panel (login state, form, comments) into it and posts without leaving the
// page. Without JavaScript the "Read the discussion" link leads to the same
// panel on a page of its own, where every action is a plain form.

const section = document.querySelector("[data-panel-url]");
const lang = document.documentElement.lang || "en";
// The page's text for this script, in the edition's language (English when absent).
const phrase = (name, english) => section?.dataset[name] || english;

// A count in the edition's plural forms: base.html renders each text once per
// plural category (for the numbers 1, 2 and 5); the form whose number is in
// the same category as the count is the one. Undefined when the page has no
// such text. live.js uses it too ("3 new updates"), as window.newsdesk.countText.
function countText(name, count) {
  let forms;
  try {
    forms = JSON.parse(document.getElementById("plural-forms").textContent)[name];
  } catch {
    return undefined;
  }
  if (!forms) return undefined;
  const rules = new Intl.PluralRules(lang);
  const samples = Object.keys(forms);
  const sample = samples.find((n) => rules.select(Number(n)) === rules.select(count));
  return forms[sample || samples[samples.length - 1]].replace("{count}", count.toLocaleString(lang));
}
window.newsdesk = { ...window.newsdesk, countText };

function commentCountsInto(elements) {
  const ids = [...new Set(elements.map((element) => element.dataset.commentsFor))];
  if (!ids.length) return;
  const query = ids.map((id) => `page=${encodeURIComponent(id)}`).join("&");
  fetch(`/discussion/counts?${query}`, { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : {}))
    .then((counts) => {
      for (const element of elements) {
        const count = counts[element.dataset.commentsFor];
        if (!count) continue;
        const text = element.dataset.plural && countText(element.dataset.plural, count);
        if (text) {
          element.textContent = text;
        } else {
          const label = count === 1 ? element.dataset.one : element.dataset.other;
          element.textContent = label.replace("N", count.toLocaleString(lang));
        }
      }
    })
    .catch(() => {});
}

commentCountsInto([...document.querySelectorAll("[data-comments-for]")]);

if (section) {
  const slot = section.querySelector(".discussion__slot");
  let panelUrl = section.dataset.panelUrl;

  const showMessage = (text, link) => {
    let box = slot.querySelector(".discussion__message");
    if (!box) {
      box = document.createElement("p");
      box.className = "discussion__message";
      box.setAttribute("role", "alert");
      slot.querySelector(".discussion__panel")?.prepend(box);
    }
    box.textContent = text;
    if (link) {
      // e.g. the session ended: a way to log in that comes back here.
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.textContent = link.label;
      box.append(" ", anchor);
    }
  };

  const load = (url, { keepText = "", focusId = "", moveFocus = false } = {}) =>
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then((html) => {
        slot.innerHTML = html;
        const textarea = slot.querySelector("textarea[name=text]");
        if (keepText && textarea) textarea.value = keepText;
        const target = focusId && document.getElementById(focusId);
        if (target) {
          target.scrollIntoView({ block: "center" });
          // Keyboard and screen-reader users continue from their new comment,
          // not from the top of the page (the button they used is gone).
          if (moveFocus) {
            target.tabIndex = -1;
            target.focus({ preventScroll: true });
          }
        }
      });

  const post = (form) => {
    const textarea = form.querySelector("textarea[name=text]");
    const text = textarea ? textarea.value : "";
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-Requested-With": "fetch" },
    })
      .then((response) => response.json().then((data) => ({ response, data })))
      .then(({ response, data }) => {
        if (!response.ok) {
          if (button) button.disabled = false;
          showMessage(
            data.error || phrase("failed", "Your comment could not be posted."),
            data.login_url ? { url: data.login_url, label: data.login_label } : null,
          );
          return;
        }
        const focusId = data.status === "published" ? `comment-${data.id}` : "";
        const url = new URL(panelUrl, location.href);
        url.searchParams.set("sort", "newest");
        url.searchParams.delete("page");
        panelUrl = url.pathname + url.search;
        return load(panelUrl, { focusId, moveFocus: true }).then(() => showMessage(data.message));
      })
      .catch(() => {
        // Network or server trouble: the text stays where it is.
        if (button) button.disabled = false;
        if (textarea) textarea.value = text;
        showMessage(
          phrase("offline", "The comment could not be sent. Check your connection and try again."),
        );
      });
  };

  slot.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches(".discussion__form")) return;
    event.preventDefault();
    post(form);
  });

  slot.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    if (link.dataset.replyTo || link.hasAttribute("data-reply-cancel")) {
      const form = slot.querySelector(".discussion__form");
      if (!form) return;
      event.preventDefault();
      const replyTo = link.dataset.replyTo || "";
      form.querySelector("input[name=parent]").value = replyTo;
      // Say which comment the text will answer, as the page without a script does.
      form.querySelector(".discussion__replying")?.remove();
      if (replyTo) {
        const author = link.closest(".comment")?.querySelector(".comment__author");
        const note = document.createElement("p");
        note.className = "discussion__replying";
        note.textContent = author
          ? `${phrase("replyingTo", "Replying to {name}.").replace("{name}", author.textContent)} `
          : `${phrase("replyingToComment", "Replying to a comment.")} `;
        const cancel = document.createElement("a");
        cancel.href = `${section.dataset.panelUrl.replace(/panel$/, "")}#discussion-form`;
        cancel.setAttribute("data-reply-cancel", "");
        cancel.textContent = phrase("replyCancelLabel", "Comment on the article instead");
        note.append(cancel);
        form.querySelector("label").before(note);
      }
      const textarea = form.querySelector("textarea[name=text]");
      textarea.focus({ preventScroll: true });
      form.scrollIntoView({ block: "center" });
      return;
    }
    if (link.hasAttribute("data-discussion-link")) {
      // Sorting and paging: the same query on the panel, in place.
      event.preventDefault();
      const url = new URL(link.href);
      panelUrl = section.dataset.panelUrl + url.search;
      load(panelUrl).then(() => section.scrollIntoView());
    }
  });

  load(panelUrl, { focusId: location.hash.slice(1) }).catch(() => {
    // Keep the server-rendered prompt and link: the discussion page still works.
  });
}
