"""The live-blog publisher for bench/live.py: a long-lived Django process that posts on command.

Started once with the benchmark's data folder (NEWSDESK_DATA_DIR) so that Django's
start-up stays out of the measurement. Each line on stdin, {"blog": B, "tag": T},
posts one entry through newsdesk.live.services.entry_post, as the live desk does,
and answers one JSON line: the event id (seq), `t0` = time.time() just before the
commit, and `t1` = time.time() just after it. {"size": N} pads the text to about
N characters (a heavier entry).
"""

import json
import os
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.base")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from newsdesk.live.models import LiveBlogPage, LiveEvent
    from newsdesk.live.services import entry_post

    user_model = get_user_model()
    author = (
        user_model.objects.filter(username__in=["livedesk", "editor"]).order_by("username").first()
        or user_model.objects.filter(is_superuser=True).first()
    )
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("cmd") == "quit":
            break
        blog = LiveBlogPage.objects.get(pk=command["blog"])
        tag = command.get("tag", "")
        padding = " ".join(["filler"] * (max(0, command.get("size", 0)) // 7))
        with transaction.atomic():
            entry = entry_post(
                blog=blog,
                author=author,
                headline=f"Benchmark update {tag}",
                text=(
                    f"Benchmark entry {tag}: the live desk posts an update and every open "
                    "page receives it at once.\n\nA second paragraph, as most entries have."
                    + (f"\n\n{padding}" if padding else "")
                ),
            )
            seq = (
                LiveEvent.objects.filter(entry=entry, op="add")
                .order_by("-seq")
                .values_list("seq", flat=True)
                .first()
            )
            t0 = time.time()  # the commit happens as this block ends
        t1 = time.time()
        sys.stdout.write(json.dumps({"seq": seq, "t0": t0, "t1": t1, "entry": entry.pk}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
