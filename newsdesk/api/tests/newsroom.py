"""A small newsroom for the API tests: an article whose body holds every kind of block.

The unit tests build it in the test database (`build`); the conformance test
builds it into a running server's data folder, in the server's environment:

    newsdesk shell -c "from newsdesk.api.tests.newsroom import main; main()"

which migrates, makes the site and prints what it made as JSON.
"""

import json

STORY_TITLE = "Ferries stay in port as the strike spreads"


def build(section, *, author) -> dict:
    """Articles (one with every block, some linked ones unreadable), photos, tags, a live blog."""
    from wagtail.models import PageViewRestriction

    from newsdesk.live import services
    from newsdesk.live.tests.factories import make_live_blog
    from newsdesk.testing import make_article, make_image

    photo = make_image(
        title="Quay at dusk",
        credit="© Meridian Wire / Omar Said",
        photographer="Omar Said",
        copyright_holder="Meridian Wire",
    )
    pier = make_image(title="Ferry pier", credit="© Test Agency / Ann Lens")
    background = make_article(
        section, title="The ferry strike, explained", lead_image=photo, authors=[author]
    )
    earlier = make_article(section, title="Ferries halted for a second day", byline_agency="AFP")
    draft = make_article(section, title="Strike ends (unpublished)", publish=False)
    private = make_article(section, title="Union memo (private)")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="members"
    )
    story = make_article(
        section,
        title=STORY_TITLE,
        short_title="Ferries stay in port",
        authors=[author],
        lead_image=photo,
        lead_image_caption="The quay on Tuesday evening.",
        dateline_place="Halder",
        dateline_agency="Meridian Wire",
        body=[
            (
                "paragraph",
                '<p>Ferries <b>stayed</b> in port on <a href="https://example.org/">Tuesday</a>.'
                '<script>alert("x")</script></p>',
            ),
            ("subheading", "What the crews want"),
            (
                "quote",
                {"text": "We sail when it is safe.", "speaker": "Ida Brenner", "role": "Captain"},
            ),
            ("quote", {"text": "No comment.", "speaker": "A spokesman", "role": ""}),
            ("image", {"image": pier.pk, "caption": "The pier at noon."}),
            ("image", {"image": photo.pk, "caption": ""}),
            ("related_story", {"article": background.pk}),
            ("read_more", {"article": earlier.pk}),
            ("related_story", {"article": draft.pk}),
            ("read_more", {"article": private.pk}),
            ("related_story", {"article": 999_999}),
        ],
    )
    story.tags.add("Ferries", "Strikes")
    story.save_revision().publish()
    blog = make_live_blog(section, title="Live: the ferry strike", dateline_place="Halder")
    services.entry_post(blog=blog, author=None, headline="Talks resume", text="Both sides meet.")
    services.entry_post(blog=blog, author=None, text="The first ferry leaves at six.")
    return {
        "story": story.pk,
        "background": background.pk,
        "earlier": earlier.pk,
        "draft": draft.pk,
        "private": private.pk,
        "photo": photo.pk,
        "pier": pier.pk,
        "live_blog": blog.pk,
    }


def main() -> None:
    """Migrate, make a home page, a section and an author, build the newsroom; print its ids.

    Also the addresses of the published articles, as `path` for /articles/by-path.
    """
    from django.core.management import call_command
    from django.db import transaction
    from wagtail.models import Page, Site

    from newsdesk.news.models import ArticlePage, Author, HomePage, SectionPage

    call_command("migrate", "--noinput", verbosity=0)
    with transaction.atomic():
        home = HomePage(title="Home", slug="front-page")
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        Site.objects.filter(is_default_site=True).update(root_page=home)
        section = SectionPage(title="World", slug="world", show_in_menus=True)
        home.add_child(instance=section)
        section.save_revision().publish()
        author = Author.objects.create(name="Maria Kovacs", role="Transport correspondent")
        made = build(section, author=author)
    made["paths"] = [article.url for article in ArticlePage.objects.live()]
    print(json.dumps(made))
