"""Many readers posting at once, on SQLite and PostgreSQL: nothing lost, doubled or unexplained.

A real `newsdesk serve` (two worker processes) on a fresh database of each
engine; readers post from threads over plain HTTP (bench/discussion_load.py),
all released at the same moment. Besides the comments that should go in,
some are meant to be refused: double clicks (the same comment sent four
times at once), comments over the length limit, and one reader posting
faster than the per-reader limit allows. Afterwards the database is read
back.
"""

import threading
from collections import Counter

import pytest
from live_server import Server, server_env

from bench import discussion_setup
from bench.discussion_load import Answer, Poster
from newsdesk.discussion.services import MAX_COMMENT_CHARS

pytestmark = pytest.mark.e2e

READERS = 40
COMMENTS_EACH = 5
DOUBLE_CLICKERS = 8  # readers who send their first comment several times at once
CLICKS = 4
TOO_LONG = 4  # readers who also send a comment over the limit
PER_MINUTE = COMMENTS_EACH + 3  # the server's per-reader limit, above what the others post
FAST_EXTRA = 12  # the fast reader sends PER_MINUTE + FAST_EXTRA comments at once
POSTING_SECONDS = 60


def waves(readers: list[dict]) -> list[list[tuple[dict, str, str]]]:
    """Posts as (reader, text, what should happen), in waves each sent all at once.

    First the crowd: every reader's comments, and some too long. Then each
    double click, and the hurried reader's burst, each a wave of its own, so
    that the copies meet in the server at the same moment.
    """
    crowd, clicks = [], []
    for index, reader in enumerate(readers[:READERS]):
        texts = [
            f"Reader {reader['id']}, comment {n}: the ferries should run all night.\nOr till one."
            for n in range(1, COMMENTS_EACH + 1)
        ]
        if index < DOUBLE_CLICKERS:
            clicks.append([(reader, texts[0], "double click")] * CLICKS)
            texts = texts[1:]
        elif index < DOUBLE_CLICKERS + TOO_LONG:
            crowd.append((reader, "ferry " * (MAX_COMMENT_CHARS // 6 + 1), "too long"))
        crowd += [(reader, text, "accepted") for text in texts]
    fast = readers[READERS]
    burst = [
        (fast, f"Reader {fast['id']} in a hurry, comment {n}.", "fast")
        for n in range(1, PER_MINUTE + FAST_EXTRA + 1)
    ]
    return [crowd, *clicks, burst]


def post_all_at_once(port, page_id, site, posts, csrf) -> list[tuple[str, Answer]]:
    # One connection per post, with its reader's session and CSRF cookie, open beforehand.
    posters = []
    for reader, _text, _kind in posts:
        if reader["id"] not in csrf:
            poster = Poster(port, page_id, reader, cookies=site)
            poster.open_discussion()
            poster.close()
            csrf[reader["id"]] = poster.csrf
        poster = Poster(port, page_id, reader, cookies=site)
        poster.csrf = csrf[reader["id"]]
        poster.connect()
        posters.append(poster)
    start = threading.Barrier(len(posts))
    answers: list[Answer | None] = [None] * len(posts)

    def send(index):
        poster, (_reader, text, _kind) = posters[index], posts[index]
        start.wait(timeout=POSTING_SECONDS)
        answers[index] = poster.post(text)
        poster.close()

    threads = [threading.Thread(target=send, args=(i,), daemon=True) for i in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=POSTING_SECONDS)
    assert all(answer is not None for answer in answers), "posts still unanswered after 60 s"
    return [(kind, answer) for (_r, _t, kind), answer in zip(posts, answers, strict=True)]


def test_every_accepted_comment_is_stored_once_and_every_refusal_says_why(database_env, tmp_path):
    env = server_env(tmp_path, database_env)
    site = discussion_setup.run(env, "prepare", "--readers", str(READERS + 1), "--seed", "0")
    server = Server(
        tmp_path,
        workers=2,
        env={
            **database_env,
            "COMMENTS_PER_MINUTE": str(PER_MINUTE),
            "COMMENTS_PER_MINUTE_PER_IP": "100000",  # every reader here comes from 127.0.0.1
        },
    )
    server.start()
    results, csrf = [], {}
    try:
        for wave in waves(site["readers"]):
            results += post_all_at_once(server.port, site["post_page"], site, wave, csrf)
    finally:
        server.stop()
    stored = discussion_setup.run(env, "stored", "--page", str(site["post_page"]))

    # Every post got an answer, none a server error, each in JSON.
    failures = [
        (kind, a.status, a.error) for kind, a in results if a.status == 0 or a.status >= 500
    ]
    assert failures == []
    accepted = [a for _kind, a in results if a.accepted]
    refused = [(kind, a) for kind, a in results if not a.accepted]
    assert all(400 <= a.status < 500 and a.reason for _kind, a in refused), [
        (kind, a.status, a.body) for kind, a in refused
    ]

    # What each reader should have been told.
    by_kind = Counter((kind, a.status) for kind, a in results)
    assert by_kind[("accepted", 201)] == READERS * COMMENTS_EACH - DOUBLE_CLICKERS
    assert by_kind[("too long", 400)] == TOO_LONG
    # An impatient reader clicking "post" again and again: one of the copies goes in.
    pairs: dict[tuple, list[int]] = {}
    for kind, a in results:
        if kind == "double click":
            pairs.setdefault((a.reader, a.text), []).append(a.status)
    once = [201] + [409] * (CLICKS - 1)
    assert sorted(sorted(statuses) for statuses in pairs.values()) == [once] * len(pairs)
    assert len(pairs) == DOUBLE_CLICKERS
    assert by_kind[("fast", 201)] == PER_MINUTE
    assert by_kind[("fast", 429)] == FAST_EXTRA

    # The database holds every accepted comment exactly once, and nothing else.
    rows = stored["rows"]
    assert sorted(row[0] for row in rows) == sorted(a.body["id"] for a in accepted)
    copies = Counter((author, body) for _id, author, _status, body in rows)
    assert [key for key, count in copies.items() if count > 1] == []
    assert {(a.reader, a.text) for a in accepted} == set(copies)
    published = sum(1 for row in rows if row[2] == "published")
    assert published == len(rows)
    assert stored["comment_count"] == published
