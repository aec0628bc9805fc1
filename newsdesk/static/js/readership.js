// Counts a read of this article with a beacon (the page itself may come from
// a cache, so the server cannot count it), and fills in the "most read" lists.
const article = document.querySelector("[data-read-beacon]");
if (article && navigator.sendBeacon) {
  navigator.sendBeacon("/readership/read", article.dataset.readBeacon);
}
for (const slot of document.querySelectorAll("[data-most-read-url]")) {
  fetch(slot.dataset.mostReadUrl, { headers: { Accept: "text/html" } })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((html) => {
      slot.innerHTML = html;
    })
    .catch(() => {
      // Keep the link to the most-read page.
    });
}
