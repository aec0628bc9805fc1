# ruff: noqa: E501 - prose
"""The demo's readers and what they wrote under the articles and the live blog.

The readers and their comments are invented for the demo. One discussion is
pre-moderated with comments waiting for a moderator, and one comment has been
reported, so the moderation queue has work in it from the start.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from newsdesk.accounts.models import ReaderProfile
from newsdesk.discussion.models import Comment, CommentReport, Discussion
from newsdesk.discussion.services import clean_comment_text, discussion_for

READER_ROLE = "Reader"
LIVE_BLOG_KEY = "live-blog"
EMAIL_DOMAIN = "newsdesk.invalid"

# (key, display name). The first is the reader whose login the demo prints;
# every demo reader shares that password. Their email is key@newsdesk.invalid.
READERS = [
    ("reader", "Hanna Okonjo"),
    ("pieter", "Pieter van Dam"),
    ("commuter", "GrumpyCommuter"),
    ("sofia", "Sofia R."),
    ("oldsalt", "old_salt_halder"),
    ("marguerite", "Marguerite Lenoir"),
    ("tobi", "Tobi A."),
    ("ines", "Ines M."),
    ("northbank", "northbank_dad"),
    ("ravi", "Ravi Menon"),
    ("eleni", "Eleni K."),
    ("hollis", "B. Hollis"),
    ("quickcash", "Smart Money Tips"),
]

# Each discussion: the page (an article key from content.py, or the live
# blog), an optional mode, and its comments. "after" is minutes after the
# page was published (the live blog: after its coverage began); a comment
# may have replies, a status other than published, and a report.
DISCUSSIONS = [
    {
        "page": "idlib-lead",
        "comments": [
            {
                "by": "ravi",
                "after": 14,
                "text": "The key line is the one about telling the extremists apart from everyone else. Every side says that before an offensive, and the people who end up paying for it are always the ones who never picked up a weapon.",
                "replies": [
                    {
                        "by": "eleni",
                        "after": 31,
                        "text": "Agreed. Three million people live in that province, a lot of them already displaced once or twice. Where are they supposed to go this time?",
                    },
                    {
                        "by": "hollis",
                        "after": 52,
                        "text": "To be fair, he does say humanitarian questions are part of the planning. Whether that means anything on the ground is another matter, but it is in there.",
                    },
                ],
            },
            {
                "by": "pieter",
                "after": 40,
                "text": "Useful to have the explainer on the de-escalation zones linked from here. I had completely lost track of which of the four were still in place.",
            },
            {
                "by": "sofia",
                "after": 66,
                "text": "The part about Ankara is the most interesting bit. If Turkey is privately urging restraint, how much say does it really have once an operation starts?",
                "replies": [
                    {
                        "by": "ravi",
                        "after": 79,
                        "text": "Probably less than it would like, but it has leverage: more than three million refugees already in Turkey, and nobody wants another wave at that border.",
                    },
                ],
            },
            {
                "by": "reader",
                "after": 95,
                "text": "Thank you for quoting him at length rather than paraphrasing. It makes it much easier to judge for yourself what is actually being threatened.",
            },
        ],
    },
    {
        "page": "flood-halder",
        "comments": [
            {
                "by": "northbank",
                "after": 20,
                "text": "We live two streets back from the north bank. In 2009 we had water up to the skirting boards. Last night the street was dry.\n\nWhatever the barriers cost, they were worth it.",
                "replies": [
                    {
                        "by": "oldsalt",
                        "after": 48,
                        "text": "Same on the quay. My neighbour moved his furniture upstairs out of habit and then felt a bit silly at breakfast.",
                    },
                ],
            },
            {
                "by": "marguerite",
                "after": 55,
                "text": "Good news for the city, but please keep reporting on the villages downstream. My parents are in Ostrum and the road has been closed since Tuesday.",
                "replies": [
                    {
                        "by": "tobi",
                        "after": 90,
                        "text": "The county posted an update an hour ago: a supply boat is going to Ostrum and Weel this afternoon. I hope your parents are all right.",
                    },
                    {
                        "by": "marguerite",
                        "after": 118,
                        "text": "Thank you, they just called. The boat came and they have everything they need.",
                    },
                ],
            },
            {
                "by": "commuter",
                "after": 140,
                "text": "Any word on when the river path reopens? Half the cyclists in Halder use it to get to work.",
            },
        ],
    },
    {
        "page": "pumpkin-record",
        "comments": [
            {
                "by": "ines",
                "after": 35,
                "text": "812 kilos! My whole vegetable patch does not weigh that much in a good year.",
                "replies": [
                    {
                        "by": "hollis",
                        "after": 60,
                        "text": "The singing is clearly the secret. I am starting on my courgettes tonight.",
                    },
                ],
            },
            {
                "by": "pieter",
                "after": 80,
                "text": "What happens to Marigold now? Please tell me she is not going to be soup.",
                "replies": [
                    {
                        "by": "sofia",
                        "after": 102,
                        "text": "The article says he will share the seeds with other growers and carve what is left for the village's Halloween parade. A dignified end.",
                    },
                ],
            },
            {
                "by": "reader",
                "after": 150,
                "text": "Lovely to read something cheerful after the news from the coast this week.",
            },
        ],
    },
    {
        "page": "ferry-cat",
        "comments": [
            {
                "by": "oldsalt",
                "after": 45,
                "text": "I have met Pepper. She inspected my rucksack with great care, found nothing of interest and went back to sleep on the life jackets.",
            },
            {
                "by": "eleni",
                "after": 130,
                "text": "Ten years of crossings and she still gets a badge before most of the crew get a pay rise.",
                "replies": [
                    {
                        "by": "tobi",
                        "after": 175,
                        "text": "Honestly, she has earned it. Nobody else works for sardines.",
                    },
                ],
            },
        ],
    },
    {
        "page": "cable-lowmere",
        "comments": [
            {
                "by": "tobi",
                "after": 25,
                "text": "Posting from the mainland for my sister on Lowmere: the shops in the harbour are taking cash only and the one cash machine that works had a queue round the corner this morning.",
            },
            {
                "by": "ravi",
                "after": 70,
                "text": "One cable for a whole island in this day and age. A second link has been promised in every budget I can remember.",
                "replies": [
                    {
                        "by": "pieter",
                        "after": 96,
                        "text": "The analysis piece on undersea cables explains why: a second route costs nearly as much as the first and earns nothing until the day something breaks.",
                    },
                    {
                        "by": "ravi",
                        "after": 121,
                        "text": "Fair point, and a good read. Still, ten days without card payments costs something too.",
                    },
                ],
            },
            {
                "by": "marguerite",
                "after": 160,
                "text": "Is the hospital affected? My aunt has an appointment there on Friday.",
                "replies": [
                    {
                        "by": "hollis",
                        "after": 185,
                        "text": "It says further down that the hospital is on the backup satellite link, with the emergency services and government offices. Slow, but working.",
                    },
                ],
            },
        ],
    },
    {
        # The runoff draws heated comments: this one waits for a moderator.
        "page": "runoff-tarsania",
        "mode": "premoderated",
        "comments": [
            {
                "by": "sofia",
                "after": 60,
                "text": "Highest turnout in twenty years is the real headline. Whoever wins the runoff will have a proper mandate.",
            },
            {
                "by": "hollis",
                "after": 95,
                "text": "The observers' point about uneven media coverage deserves more than one sentence. Who owns the main channels?",
            },
            {
                "by": "commuter",
                "after": 610,
                "status": "pending",
                "text": "If Lazic runs the country the way he runs the Velgrad trams, the second round is already decided. I waited forty minutes this morning.",
            },
            {
                "by": "ines",
                "after": 700,
                "status": "pending",
                "text": "The Green voters are the ones to watch. Neither finalist has said a word about the coal plants yet.",
            },
            {
                "by": "northbank",
                "after": 860,
                "status": "pending",
                "text": "Three weeks is a long time in a campaign. Will there be a televised debate before the second round?",
            },
        ],
    },
    {
        "page": "rates-estravia",
        "comments": [
            {
                "by": "marguerite",
                "after": 40,
                "text": "Our mortgage is fixed until next spring. After that I dread to think.",
                "replies": [
                    {
                        "by": "eleni",
                        "after": 75,
                        "text": "Same here. The explainer on rates was useful though: it at least made clear why they keep doing it.",
                    },
                ],
            },
            {
                "by": "quickcash",
                "after": 150,
                "text": "Rates going up? Beat the banks! My course shows you how to turn 100 into 10,000 in a month: https://smart-money-tips.invalid/course",
                "report": {
                    "by": "hollis",
                    "reason": "spam",
                    "note": "Advertising, and the same message turned up under another article yesterday.",
                },
            },
            {
                "by": "pieter",
                "after": 220,
                "text": "Savers have waited a long time for this. My deposit account paid nothing for years.",
            },
        ],
    },
    {
        "page": "last-ferryman",
        "comments": [
            {
                "by": "reader",
                "after": 120,
                "text": "I crossed with Anselm on my way to school every day for six years. He always knew whose homework was not done.\n\nThe bridge will be quicker, but it will not ask how your mother is.",
                "replies": [
                    {
                        "by": "oldsalt",
                        "after": 200,
                        "text": "Beautifully put. Someone should make sure the old ferry ends up somewhere people can still see it.",
                    },
                ],
            },
            {
                "by": "ines",
                "after": 300,
                "text": "The photographs with this piece are wonderful. The one of the river at first light especially.",
            },
        ],
    },
    {
        "page": "night-ward",
        "comments": [
            {
                "by": "northbank",
                "after": 240,
                "text": "Our son spent four nights at St Brigid's last winter. We never learned the names of half the nurses who looked after him. Thank you for showing what they do.",
            },
            {
                "by": "eleni",
                "after": 400,
                "text": "Five nurses and a doctor for 24 beds, through the night. This should be read by everyone who sets hospital budgets.",
            },
        ],
    },
    {
        "page": "tortoise-home",
        "comments": [
            {
                "by": "commuter",
                "after": 50,
                "text": "Two kilometres in seven months. Still faster than the number 12 bus.",
                "replies": [
                    {
                        "by": "sofia",
                        "after": 85,
                        "text": "I laughed far too loudly at this on a train.",
                    },
                ],
            },
        ],
    },
    {
        "page": LIVE_BLOG_KEY,
        "comments": [
            {
                "by": "oldsalt",
                "after": 120,
                "text": "The waves over the outer breakwater are the worst I have seen since the storm of 1990. Stay off the harbour wall, everyone.",
            },
            {
                "by": "tobi",
                "after": 185,
                "text": "Is the customs house shelter open to people with dogs? Asking for my neighbour, who will not leave without hers.",
                "replies": [
                    {
                        "by": "northbank",
                        "after": 205,
                        "text": "It is. We are here now and there are at least four dogs. Volunteers found them a corner by the stairs.",
                    },
                ],
            },
            {
                "by": "reader",
                "after": 250,
                "text": "Thank you to the reporters staying out in this. The updates have been clearer than anything on the official channels tonight.",
            },
        ],
    },
]

Progress = Callable[[str], None]


def reader_email(key: str) -> str:
    return f"{key}@{EMAIL_DOMAIN}"


def ensure_readers(
    *, password: str, progress: Progress, people: list[tuple[str, str]] = READERS
) -> dict:
    """The demo readers (`people`, as READERS), with confirmed emails and display names.

    Returns them by key; the first one's password is the one every reader shares.
    """
    user_model = get_user_model()
    hashed = ""
    readers = {}
    for key, display_name in people:
        email = reader_email(key)
        user = user_model.objects.filter(email=email).first()
        if user is None:
            if not hashed:
                progress(f"Adding {len(people)} readers with confirmed email addresses")
                # One hash for them all: hashing a password is slow on purpose.
                hashed = make_password(password)
            with transaction.atomic():
                user = user_model.objects.create(
                    username=f"reader-{key}", email=email, password=hashed
                )
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
                ReaderProfile.objects.create(user=user, display_name=display_name)
        readers[key] = user
    printed = readers[people[0][0]]
    if not printed.check_password(password):
        user_model.objects.filter(pk__in=[user.pk for user in readers.values()]).update(
            password=make_password(password)
        )
    return readers


def build_discussions(
    *, pages: dict, readers: dict, progress: Progress, discussions: list[dict] = DISCUSSIONS
) -> None:
    """Write the demo comments that are missing; counts then match the published comments."""
    now = timezone.now()
    for number, spec in enumerate(discussions, start=1):
        page = pages[spec["page"]]
        # The builder backdates articles in the database, behind these objects.
        page.refresh_from_db(fields=["first_published_at"])
        started = getattr(page, "coverage_start", None) or page.first_published_at or now
        announced = []

        def announce(number=number, page=page, announced=announced):
            if not announced:
                progress(f"[{number}/{len(discussions)}] Discussing: {page.title}")
                announced.append(True)

        with transaction.atomic():
            discussion = discussion_for(page)
            if spec.get("mode") and discussion.mode != spec["mode"]:
                discussion.mode = spec["mode"]
                discussion.save(update_fields=["mode"])
            for comment_spec in spec["comments"]:
                parent = _ensure_comment(
                    discussion, comment_spec, None, readers, started, now, announce
                )
                for reply_spec in comment_spec.get("replies", []):
                    _ensure_comment(discussion, reply_spec, parent, readers, started, now, announce)
            published = Comment.objects.filter(
                discussion=discussion, status=Comment.Status.PUBLISHED
            ).count()
            Discussion.objects.filter(pk=discussion.pk).update(comment_count=published)


def _ensure_comment(
    discussion, spec, parent, readers, started: datetime, now: datetime, announce
) -> Comment:
    author = readers[spec["by"]]
    text = clean_comment_text(spec["text"])
    comment = Comment.objects.filter(discussion=discussion, author=author, body=text).first()
    if comment is None:
        announce()
        # Never in the future, however recently the page was published.
        created_at = min(started + timedelta(minutes=spec["after"]), now - timedelta(minutes=1))
        comment = Comment.objects.create(
            discussion=discussion,
            parent=parent,
            author=author,
            body=text,
            status=spec.get("status", Comment.Status.PUBLISHED),
            created_at=created_at,
        )
    report = spec.get("report")
    if report:
        CommentReport.objects.get_or_create(
            comment=comment,
            reporter=readers[report["by"]],
            defaults={
                "reason": report["reason"],
                "note": report["note"],
                "created_at": min(comment.created_at + timedelta(minutes=20), now),
            },
        )
    return comment
