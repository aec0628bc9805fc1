"""The demo's live blog, and the entry it posts every LIVE_DEMO_INTERVAL seconds.

The storm, the towns and the people are invented for the demo.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from newsdesk.live import services
from newsdesk.live.models import EntryStatus, LiveBlogPage, LiveBlogStatus, LiveEntry

BLOG_TITLE = "Live: Storm Orla reaches the Halder coast"
BLOG_SUMMARY = (
    "Storm Orla is crossing the Halder coast with gusts above 120 km/h. Follow our "
    "reporters, the coastguard and the weather service as the night goes on."
)

# (minutes before the build, headline, paragraphs, extra blocks, key event)
ENTRIES = [
    (
        300,
        "Warnings raised to red",
        [
            "The national weather service raised its warning for the whole Halder coast to red, its highest level, and told residents of low-lying streets to prepare to leave."
        ],
        [],
        True,
    ),
    (
        290,
        "",
        [
            "Ferries between Halder and the islands are cancelled for the rest of the day. The operator says it will decide on tomorrow's first sailings at 6 a.m."
        ],
        [],
        False,
    ),
    (
        280,
        "",
        [
            "Schools in the three coastal districts will stay closed tomorrow, the regional education office said in a short statement."
        ],
        [],
        False,
    ),
    (
        265,
        "",
        [
            "Our correspondent on the harbour wall describes waves breaking over the outer breakwater and spray reaching the fish market roofs."
        ],
        [
            (
                "quote",
                {
                    "text": "I have worked this harbour for thirty years and I have never tied the boats down twice in one afternoon.",
                    "speaker": "Piet Anker",
                    "role": "harbour master, Halder",
                },
            )
        ],
        False,
    ),
    (
        250,
        "Evacuation centres open",
        [
            "Four sports halls and the old customs house are now open as evacuation centres. The city says each has beds, hot food and room for pets."
        ],
        [],
        True,
    ),
    (
        240,
        "",
        [
            "Rail services along the coast line will run at reduced speed from 6 p.m. and stop entirely if gusts pass 110 km/h."
        ],
        [],
        False,
    ),
    (
        225,
        "",
        [
            "The flood barriers at the river mouth, finished last spring, were closed at 3.40 p.m. for the first time in a real storm."
        ],
        [("related", "flood-halder")],
        False,
    ),
    (
        210,
        "",
        [
            "Power cuts are reported in about 4,000 homes north of the river, according to the grid operator's outage map."
        ],
        [],
        False,
    ),
    (
        200,
        "",
        ["A reader in Westerhoek sent us this picture of the promenade an hour ago."],
        [
            (
                "image",
                {
                    "scene": "sea",
                    "alt": "Grey waves breaking over a seaside promenade",
                    "title": "Westerhoek promenade in the storm",
                    "credit": "© Reader photo / Anna de Wit",
                    "photographer": "Anna de Wit",
                    "agency": "",
                    "caption": "Waves over the Westerhoek promenade.",
                },
            )
        ],
        False,
    ),
    (
        190,
        "Coastguard rescues two from yacht",
        [
            "The coastguard lifted two sailors from a yacht that lost its mast off Kaap Noord. Both are said to be cold but unhurt."
        ],
        [],
        True,
    ),
    (
        180,
        "",
        [
            "The mayor asked people not to drive to the seafront to watch the waves, saying sightseers were blocking the roads rescue teams need."
        ],
        [
            (
                "quote",
                {
                    "text": "The sea will still be there next week. Please stay home tonight and let the crews do their work.",
                    "speaker": "Marta Veld",
                    "role": "mayor of Halder",
                },
            )
        ],
        False,
    ),
    (
        170,
        "",
        [
            "Wind speeds measured at the airport reached 118 km/h at 5 p.m., the highest reading there since records began in 1961."
        ],
        [],
        False,
    ),
    (
        160,
        "",
        [
            "Hospitals have postponed planned operations for tomorrow morning so that staff who live inland do not have to travel."
        ],
        [],
        False,
    ),
    (
        150,
        "",
        [
            "The storm has a history of surprising forecasters: our explainer looks at why warm seas make autumn storms stronger."
        ],
        [("readmore", "analysis-urban-heat")],
        False,
    ),
    (
        140,
        "",
        [
            "Bus services in the city centre have stopped. Taxis are still running but several firms say waiting times are above an hour."
        ],
        [],
        False,
    ),
    (
        130,
        "Sea wall breached at Oosterdijk",
        [
            "Water has come over the sea wall at Oosterdijk, a village of about 600 people south of the city. Firefighters are going door to door."
        ],
        [],
        True,
    ),
    (
        120,
        "",
        [
            "The army has sent two amphibious vehicles and forty soldiers to Oosterdijk at the request of the regional government."
        ],
        [],
        False,
    ),
    (
        110,
        "",
        [
            "All residents of Oosterdijk who wanted to leave have now been taken to the customs house centre, the fire service says."
        ],
        [],
        False,
    ),
    (
        100,
        "",
        [
            "The weather service says the centre of the storm passed over the coast at 8.15 p.m. and is now moving north-east, slowly weakening."
        ],
        [],
        False,
    ),
    (
        90,
        "",
        [
            "Gusts are still strong, and the service warns that the back edge of a storm can bring the highest tides of the night."
        ],
        [],
        False,
    ),
    (
        80,
        "",
        [
            "Power has been restored to about half of the homes that lost it earlier, the grid operator says."
        ],
        [],
        False,
    ),
    (
        70,
        "",
        [
            "In Halder's old town, cafés that stayed open have turned into informal shelters, with owners serving soup to anyone who comes in from the rain."
        ],
        [],
        False,
    ),
    (
        60,
        "High tide passes without new breaches",
        [
            "The night's high tide has passed. No new breaches were reported, and the river barrier held."
        ],
        [],
        True,
    ),
    (
        50,
        "",
        [
            "Rail operator says trains will not run on the coast line before noon tomorrow, while crews check the track for fallen trees."
        ],
        [],
        False,
    ),
    (
        40,
        "",
        [
            "The regional government will meet at 7 a.m. to decide when people can return to Oosterdijk."
        ],
        [],
        False,
    ),
    (
        30,
        "",
        [
            "Thank you to the many readers who have sent photographs and messages. We are reading all of them, and will publish more in the morning."
        ],
        [],
        False,
    ),
]

PINNED_TEXT = (
    "Stay safe: keep away from the seafront and the river banks until the warning is "
    "lifted. Emergency number 112; the city's storm line is open all night. Evacuation "
    "centres are listed on the city website."
)

ROLLING_ENTRIES = [
    "Our reporter at the customs house says about 150 people are spending the night there; volunteers are handing out blankets.",
    "The weather service has lowered its warning for the northern districts from red to orange.",
    "Wind at the airport has dropped to 70 km/h, the service says, and is expected to keep easing.",
    "Crews are clearing a fallen tree from the coast road near Kaap Noord; one lane is open.",
    "The grid operator says about 1,200 homes are still without power and most should be reconnected by morning.",
    "Firefighters have begun pumping water out of the first streets in Oosterdijk.",
    "Ferry operator: the first sailing to the islands is planned for 10 a.m., weather permitting.",
    "The mayor thanked the rescue crews and said damage will be assessed from first light.",
]


def build_live_blog(*, section, articles_by_key: dict, progress) -> LiveBlogPage:
    """Create the demo live blog under `section` (once); returns it."""
    from .builder import _ensure_image

    blog = LiveBlogPage.objects.filter(title=BLOG_TITLE).first()
    if blog is not None:
        return blog
    progress(f"Creating the live blog: {BLOG_TITLE}")
    now = timezone.now()
    blog = LiveBlogPage(
        title=BLOG_TITLE,
        slug="storm-orla-live",
        summary=BLOG_SUMMARY,
        status=LiveBlogStatus.LIVE,
        coverage_start=now - timedelta(minutes=310),
        dateline_place="Halder",
        dateline_agency="Meridian Wire",
        lead_image=_ensure_image(
            {
                "scene": "sea",
                "alt": "A storm sea under low cloud off the Halder coast",
                "title": "Storm sea off Halder",
                "credit": "© Meridian Wire 2026 / Tobias Renn",
                "photographer": "Tobias Renn",
                "agency": "Meridian Wire",
            }
        ),
        lead_image_caption="The sea off Halder as Storm Orla approached.",
    )
    section.add_child(instance=blog)
    blog.save_revision().publish()

    total = len(ENTRIES) + 1
    for number, (minutes, headline, paragraphs, extras, key) in enumerate(ENTRIES, start=1):
        progress(f"[{number}/{total}] Live entry: {headline or paragraphs[0][:60]}")
        body = services.body_from_text("\n\n".join(paragraphs))
        for kind, value in extras:
            if kind == "quote":
                body.append({"type": "quote", "value": value})
            elif kind == "image":
                image = _ensure_image(value)
                body.append(
                    {"type": "image", "value": {"image": image.pk, "caption": value["caption"]}}
                )
            elif kind in ("related", "readmore"):
                target = articles_by_key.get(value)
                if target is not None:
                    block = "related_story" if kind == "related" else "read_more"
                    body.append({"type": block, "value": {"article": target.pk}})
        services.entry_post(
            blog=blog,
            author=None,
            headline=headline,
            text="\n\n".join(paragraphs),
            body=body,
            is_key_event=key,
            posted_at=now - timedelta(minutes=minutes),
        )
    progress(f"[{total}/{total}] Live entry: pinned safety notice")
    services.entry_post(
        blog=blog, author=None, headline="What to do tonight", text=PINNED_TEXT, is_pinned=True
    )
    return blog


def post_demo_entry(*, min_interval: int) -> LiveEntry | None:
    """Post the next rolling entry to the demo blog, unless one was posted recently.

    Every server worker runs this on the same clock; the check under the
    blog's lock lets one of them post per interval.
    """
    blog = LiveBlogPage.objects.live().filter(title=BLOG_TITLE, status=LiveBlogStatus.LIVE).first()
    if blog is None:
        return None
    with transaction.atomic():
        services.lock_blog(blog.pk)
        latest = (
            LiveEntry.objects.filter(blog=blog, status=EntryStatus.PUBLISHED)
            .order_by("-created_at")
            .first()
        )
        if latest and latest.created_at > timezone.now() - timedelta(seconds=min_interval - 1):
            return None
        posted = LiveEntry.objects.filter(blog=blog).count()
        text = ROLLING_ENTRIES[posted % len(ROLLING_ENTRIES)]
        return services.entry_post(blog=blog, author=None, text=text)
