// Recent times in words ("3 min ago", "3 мин назад") in the page's language.
// Pages are cached for every reader, so the server writes the absolute time
// (<time datetime="…" data-relative>) and this script rewrites the times of
// the last day, again each minute. Older ones keep their date: it says more.
// Times that arrive later (live entries, the discussion panel) are found too.

(() => {
  if (!window.Intl || !Intl.RelativeTimeFormat) return;
  const relative = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", {
    numeric: "auto",
    style: "short",
  });

  function refresh() {
    const now = Date.now();
    for (const time of document.querySelectorAll("time[data-relative]")) {
      const at = Date.parse(time.dateTime);
      if (Number.isNaN(at)) continue;
      // The server's absolute text, kept as the tooltip and for when a day has passed.
      if (time.dataset.absolute === undefined) time.dataset.absolute = time.textContent;
      const seconds = Math.round((at - now) / 1000);
      const abs = Math.abs(seconds);
      let text = time.dataset.absolute;
      if (abs < 45) text = relative.format(0, "second");
      else if (abs < 3600) text = relative.format(Math.round(seconds / 60), "minute");
      else if (abs < 86400) text = relative.format(Math.round(seconds / 3600), "hour");
      if (time.textContent !== text) time.textContent = text;
      if (!time.title) time.title = time.dataset.absolute;
    }
  }

  let queued = false;
  const refreshSoon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      refresh();
    });
  };
  // Only added elements count: the text this script writes adds text nodes.
  new MutationObserver((mutations) => {
    if (mutations.some((m) => [...m.addedNodes].some((node) => node.nodeType === 1))) refreshSoon();
  }).observe(document.body, { childList: true, subtree: true });
  document.addEventListener("visibilitychange", () => document.hidden || refresh());
  setInterval(() => document.hidden || refresh(), 60000);
  refresh();
})();
