"""The demo's live blogs, and the entry each posts every LIVE_DEMO_INTERVAL seconds.

The storm, the towns and the people are invented for the demo.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from newsdesk.live import services
from newsdesk.live.models import EntryStatus, LiveBlogPage, LiveBlogStatus, LiveEntry

from . import content_ru

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


STORM_BLOG = {
    "title": BLOG_TITLE,
    "slug": "storm-orla-live",
    "summary": BLOG_SUMMARY,
    "coverage_minutes": 310,
    "dateline": ["Halder", "Meridian Wire"],
    "photo": {
        "scene": "sea",
        "alt": "A storm sea under low cloud off the Halder coast",
        "title": "Storm sea off Halder",
        "credit": "© Meridian Wire 2026 / Tobias Renn",
        "photographer": "Tobias Renn",
        "agency": "Meridian Wire",
    },
    "caption": "The sea off Halder as Storm Orla approached.",
    "entries": ENTRIES,
    "pinned": ("What to do tonight", PINNED_TEXT),
    "rolling": ROLLING_ENTRIES,
}

# Every demo blog that gets a rolling entry: one per language edition.
DEMO_BLOGS = [STORM_BLOG, content_ru.LIVE_BLOG]


def build_live_blog(
    *,
    section,
    articles_by_key: dict,
    progress,
    spec: dict = STORM_BLOG,
    translation_of: LiveBlogPage | None = None,
) -> LiveBlogPage:
    """Create the demo live blog described by `spec` under `section` (once); returns it.

    With `translation_of`, the blog is created as that blog's translation into
    the section's language (Wagtail places it under the translated section).
    """
    from .builder import _ensure_image

    blog = LiveBlogPage.objects.filter(title=spec["title"]).first()
    if blog is not None:
        return blog
    progress(f"Creating the live blog: {spec['title']}")
    now = timezone.now()
    fields = {
        "title": spec["title"],
        "summary": spec["summary"],
        "status": LiveBlogStatus.LIVE,
        "coverage_start": now - timedelta(minutes=spec["coverage_minutes"]),
        "dateline_place": spec["dateline"][0],
        "dateline_agency": spec["dateline"][1],
        "lead_image": _ensure_image(spec["photo"]),
        "lead_image_caption": spec["caption"],
    }
    if translation_of is None:
        blog = LiveBlogPage(slug=spec["slug"], **fields)
        section.add_child(instance=blog)
    else:
        blog = translation_of.copy_for_translation(section.locale)
        for name, value in fields.items():
            setattr(blog, name, value)
    blog.save_revision().publish()

    entries = spec["entries"]
    total = len(entries) + 1
    for number, (minutes, headline, paragraphs, extras, key) in enumerate(entries, start=1):
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
    pinned_headline, pinned_text = spec["pinned"]
    progress(f"[{total}/{total}] Live entry: {pinned_headline}")
    services.entry_post(
        blog=blog, author=None, headline=pinned_headline, text=pinned_text, is_pinned=True
    )
    return blog


def post_demo_entry(*, min_interval: int) -> list[LiveEntry]:
    """Post the next rolling entry to each demo blog, unless one was posted there recently.

    Every server worker runs this on the same clock; the check under each
    blog's lock lets one of them post per interval.
    """
    posted = []
    for spec in DEMO_BLOGS:
        if entry := _post_rolling_entry(spec, min_interval=min_interval):
            posted.append(entry)
    return posted


def _post_rolling_entry(spec: dict, *, min_interval: int) -> LiveEntry | None:
    blog = (
        LiveBlogPage.objects.live().filter(title=spec["title"], status=LiveBlogStatus.LIVE).first()
    )
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
        rolling = spec["rolling"]
        return services.entry_post(blog=blog, author=None, text=rolling[posted % len(rolling)])
