// Live blog updates: applies entries streamed by the server in place.
// Without JavaScript the page still works: it is server-rendered and has a
// "Check for newer updates" link. Framework-free on purpose.

const root = document.querySelector("[data-live-blog]");
const feed = root && root.querySelector(".live-feed__entries");
const pinnedBox = root && root.querySelector(".live-pinned");
const newButton = root && root.querySelector(".live-feed__new");
const lang = document.documentElement.lang || "en";
const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
let lastSeq = root ? Number(root.dataset.lastSeq || 0) : 0;
let source = null;
let pending = [];

// Only the first page in newest-first order shows new entries as they come;
// other views just refresh entries they already show.
const acceptsNew = root && root.dataset.firstPage === "1" && root.dataset.order === "newest";

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function readerIsAtTop() {
  return feed.getBoundingClientRect().top > -40;
}

function showNewButton() {
  const count = pending.length;
  newButton.hidden = count === 0;
  newButton.textContent = count === 1 ? "1 new update" : `${count} new updates`;
}

function insertPending() {
  for (const node of pending) feed.prepend(node);
  pending = [];
  showNewButton();
  refreshTimes();
}

function entryNodes(id) {
  return root.querySelectorAll(`[data-entry="${id}"]`);
}

const apply = {
  add(data) {
    if (!acceptsNew || entryNodes(data.entry).length) return;
    root.querySelector(".live-feed__empty")?.remove();
    pending.push(fragment(data.html));
    if (readerIsAtTop()) insertPending();
    else showNewButton();
  },
  edit(data) {
    for (const node of entryNodes(data.entry)) node.replaceWith(fragment(data.html));
    pending = pending.map((node) => (node.dataset.entry === String(data.entry) ? fragment(data.html) : node));
    refreshTimes();
  },
  delete(data) {
    for (const node of entryNodes(data.entry)) node.remove();
    pending = pending.filter((node) => node.dataset.entry !== String(data.entry));
    showNewButton();
    if (!pinnedBox.querySelector("[data-entry]")) pinnedBox.hidden = true;
  },
  pin(data) {
    const original = feed.querySelector(`[data-entry="${data.entry}"]`);
    pinnedBox.replaceChildren();
    if (original) {
      const copy = original.cloneNode(true);
      copy.classList.add("live-entry--pinned");
      pinnedBox.append(copy);
      pinnedBox.hidden = false;
    } else {
      // Pinned from further back than this page shows: reload to fetch it.
      location.reload();
    }
  },
  unpin(data) {
    const shown = pinnedBox.querySelector(`[data-entry="${data.entry}"]`);
    if (shown) {
      shown.remove();
      pinnedBox.hidden = true;
    }
  },
  end() {
    root.dataset.ended = "1";
    stop();
    root.querySelector(".live-feed__refresh")?.remove();
  },
  reset() {
    // Away too long for a replay: take a fresh copy of the page.
    location.reload();
  },
};

function connect() {
  if (source || root.dataset.ended) return;
  const url = `${root.dataset.stream}?last_event_id=${lastSeq}`;
  source = new EventSource(url);
  for (const op of Object.keys(apply)) {
    source.addEventListener(op, (event) => {
      if (event.lastEventId) lastSeq = Math.max(lastSeq, Number(event.lastEventId));
      apply[op](event.data ? JSON.parse(event.data) : {});
    });
  }
}

function stop() {
  if (source) source.close();
  source = null;
}

function refreshTimes() {
  const now = Date.now();
  for (const time of root.querySelectorAll("time[data-relative]")) {
    const seconds = Math.round((new Date(time.dateTime).getTime() - now) / 1000);
    const abs = Math.abs(seconds);
    let text;
    if (abs < 45) text = relative.format(0, "second");
    else if (abs < 3600) text = relative.format(Math.round(seconds / 60), "minute");
    else if (abs < 86400) text = relative.format(Math.round(seconds / 3600), "hour");
    else continue; // older than a day: the absolute date says more
    if (!time.title) time.title = time.textContent;
    time.textContent = text;
  }
}

if (root) {
  newButton.addEventListener("click", () => {
    insertPending();
    feed.scrollIntoView({ behavior: "smooth" });
  });
  window.addEventListener("scroll", () => {
    if (pending.length && readerIsAtTop()) insertPending();
  }, { passive: true });
  // A hidden tab holds no connection; on return it resumes from the last id.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) stop();
    else connect();
  });
  refreshTimes();
  setInterval(refreshTimes, 30000);
  if (!document.hidden) connect();
}
