// Live blog updates: applies the entries the server streams, in place.
// Without JavaScript the page still works: it is server-rendered and has a
// "Check for newer updates" link. Framework-free on purpose.
// The stream's events are described in docs/live-stream.md.

const root = document.querySelector("[data-live-blog]");
const MAX_KEY_EVENTS = 20; // as many as the page lists

if (root) {
  const feed = root.querySelector(".live-feed__entries");
  const pinnedBox = root.querySelector(".live-pinned");
  const keyEvents = root.querySelector(".key-events");
  const newButton = root.querySelector(".live-feed__new");
  const label = (name) => root.dataset[`label${name}`];
  // Recent entry times are shown in words by times.js, new entries' too.
  const lang = document.documentElement.lang || "en";
  const clock = new Intl.DateTimeFormat(lang, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: root.dataset.timeZone || undefined,
  });
  // "3 new updates" in the edition's plural forms (discussion.js, on every page).
  const newUpdatesText = (count) =>
    window.newsdesk?.countText?.("new_updates", count) ??
    (count === 1 ? "1 new update" : `${count} new updates`);
  // New entries go on top of the first page in newest-first order, and at
  // the end of the last page in oldest-first order (below the reader, so no
  // jump); other pages keep the entries they show up to date.
  const newest = root.dataset.order === "newest";
  const acceptsNew = newest ? root.dataset.firstPage === "1" : root.dataset.lastPage === "1";
  let lastSeq = Number(root.dataset.lastSeq || 0);
  let source = null;
  let retryTimer = 0;
  let retryDelay = 2000;
  let pending = []; // new entries held back while the reader is scrolled down

  const fragment = (html) => {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  };
  const inFeed = (id) => feed.querySelector(`[data-entry="${id}"]`);
  const inPinned = (id) => pinnedBox.querySelector(`[data-entry="${id}"]`);

  // The pinned box shows a copy of an entry: its id stays with the feed's,
  // which the key-event links point to.
  const pinnedCopy = (node) => {
    const copy = node.cloneNode(true);
    copy.removeAttribute("id");
    copy.classList.add("live-entry--pinned");
    return copy;
  };

  // An edit changes the entry's own element, so the reader's place, focus
  // and the order of the feed stay as they were.
  const morph = (node, fresh) => {
    node.className = fresh.className;
    node.replaceChildren(...fresh.childNodes);
  };

  // The reader sees the top of the feed: new entries can go in without
  // moving what they are reading.
  const readerIsAtTop = () => feed.getBoundingClientRect().top >= -8;

  function showNewButton() {
    const count = pending.length;
    newButton.hidden = count === 0;
    newButton.textContent = newUpdatesText(count);
  }

  function insertPending() {
    // Oldest first, so the newest ends on top.
    for (const node of pending) feed.prepend(node);
    pending = [];
    showNewButton();
  }

  function updateKeyEvent(data) {
    if (!keyEvents) return;
    const list = keyEvents.querySelector("ol");
    const old = list.querySelector(`[data-entry="${data.entry}"]`);
    if (!data.key) {
      old?.remove();
    } else {
      const item = document.createElement("li");
      item.dataset.entry = data.entry;
      item.dataset.at = data.at;
      const link = document.createElement("a");
      link.href = `#entry-${data.entry}`;
      const time = document.createElement("time");
      time.dateTime = data.at;
      time.textContent = clock.format(new Date(data.at));
      link.append(time, ` ${data.headline || label("Update")}`);
      item.append(link);
      if (old) {
        old.replaceWith(item);
      } else {
        // Newest first, by the entry's time.
        const at = Date.parse(data.at);
        const later = [...list.children].find((li) => Date.parse(li.dataset.at) < at);
        list.insertBefore(item, later || null);
      }
    }
    while (list.children.length > MAX_KEY_EVENTS) list.lastElementChild.remove();
    keyEvents.hidden = list.children.length === 0;
  }

  async function fetchPinned(id) {
    // Pinned from further back than this page shows: take it from the first page.
    const response = await fetch(root.dataset.firstPageUrl, { headers: { Accept: "text/html" } });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const node = page.querySelector(`.live-pinned [data-entry="${id}"]`);
    if (node && !inPinned(id)) {
      pinnedBox.replaceChildren(pinnedCopy(node));
      pinnedBox.hidden = false;
    }
  }

  const apply = {
    add(data) {
      updateKeyEvent(data);
      const known = inFeed(data.entry) || pending.some((node) => node.dataset.entry === String(data.entry));
      if (!acceptsNew || known) return;
      root.querySelector(".live-feed__empty")?.remove();
      if (!newest) {
        feed.append(fragment(data.html));
        return;
      }
      pending.push(fragment(data.html));
      if (readerIsAtTop()) insertPending();
      else showNewButton();
    },
    edit(data) {
      updateKeyEvent(data);
      const fresh = fragment(data.html);
      const pinned = inPinned(data.entry);
      if (pinned) morph(pinned, pinnedCopy(fresh));
      const shown = inFeed(data.entry);
      if (shown) morph(shown, fresh.cloneNode(true));
      pending = pending.map((node) => (node.dataset.entry === String(data.entry) ? fresh : node));
    },
    delete(data) {
      updateKeyEvent({ entry: data.entry, key: false });
      inFeed(data.entry)?.remove();
      inPinned(data.entry)?.remove();
      pinnedBox.hidden = !pinnedBox.querySelector("[data-entry]");
      pending = pending.filter((node) => node.dataset.entry !== String(data.entry));
      showNewButton();
    },
    pin(data) {
      const original = data.html ? fragment(data.html) : inFeed(data.entry);
      if (!original) {
        fetchPinned(data.entry);
        return;
      }
      pinnedBox.replaceChildren(pinnedCopy(original));
      pinnedBox.hidden = false;
      inFeed(data.entry)?.classList.add("live-entry--pinned");
    },
    unpin(data) {
      inPinned(data.entry)?.remove();
      inFeed(data.entry)?.classList.remove("live-entry--pinned");
      pinnedBox.hidden = !pinnedBox.querySelector("[data-entry]");
    },
    end() {
      closeFor("Ended");
    },
    gone() {
      // Unpublished or deleted: nothing more will come, and reconnecting would 404.
      closeFor("Gone");
    },
    reset() {
      // Away too long for a replay: take a fresh copy of the page.
      stop();
      location.reload();
    },
  };

  function connect() {
    clearTimeout(retryTimer);
    if (source || root.dataset.ended || document.hidden) return;
    // Where this page left off; after a drop EventSource itself resumes with
    // the Last-Event-ID header, which the server prefers.
    const stream = new EventSource(`${root.dataset.stream}?last_event_id=${lastSeq}`);
    source = stream;
    stream.addEventListener("open", () => {
      retryDelay = 2000;
    });
    stream.addEventListener("error", () => {
      // EventSource retries dropped connections by itself, but gives up for
      // good on an answer that is not a stream (a restarting server, a 502
      // from a proxy). Then try again, waiting longer each time.
      if (stream === source && stream.readyState === EventSource.CLOSED) {
        source = null;
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 60000);
      }
    });
    for (const op of Object.keys(apply)) {
      stream.addEventListener(op, (event) => {
        const seq = Number(event.lastEventId);
        // "reset" and "gone" carry no new id: never skip them as seen.
        if (seq && seq <= lastSeq && op !== "reset" && op !== "gone") return; // seen already
        if (seq) lastSeq = seq;
        apply[op](event.data ? JSON.parse(event.data) : {});
      });
    }
  }

  function closeFor(reason) {
    root.dataset.ended = "1";
    stop();
    root.querySelector(".live-feed__refresh")?.remove();
    const status = root.querySelector(".live-status");
    status.className = "live-status live-status--ended";
    status.textContent = label(reason);
  }

  function stop() {
    clearTimeout(retryTimer);
    source?.close();
    source = null;
  }

  newButton.addEventListener("click", () => {
    insertPending();
    const latest = feed.querySelector("[data-entry]");
    feed.scrollIntoView({ block: "start" });
    // Keyboard and screen-reader users continue from the newest entry.
    if (latest) {
      latest.tabIndex = -1;
      latest.focus({ preventScroll: true });
    }
  });
  window.addEventListener(
    "scroll",
    () => {
      if (pending.length && readerIsAtTop()) insertPending();
    },
    { passive: true },
  );
  // A hidden tab holds no connection; back in view it resumes from the last id.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      stop();
    } else {
      connect();
    }
  });
  connect();
}
