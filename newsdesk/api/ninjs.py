"""Published content as IPTC ninjs 2.1 documents (https://iptc.org/standards/ninjs/).

ninjs is the news industry's JSON format: partners' systems already read it.
An article is a "text" item with its headlines, summary, byline, people,
subjects (our tags), the place of its dateline, its body (for partners with
a key) both as HTML and as typed blocks, and its lead photo as an associated
"picture" item with the photo's credit, copyright holder and renditions.
"""

import json

from django.utils.html import strip_tags
from django.utils.text import slugify
from wagtail.rich_text import expand_db_html

from newsdesk.images.models import CreditedImage
from newsdesk.lib.html import clean_rich_text
from newsdesk.news.freshness import kept_per_token, readable
from newsdesk.news.models import ArticlePage

NINJS_STANDARD = {
    "name": "ninjs",
    "version": "2.1",
    "schema": "https://www.iptc.org/std/ninjs/ninjs-schema_2.1.json",
}
RENDITIONS = {"thumbnail": "fill-320x180-c50|format-jpeg", "baseImage": "width-1200|format-jpeg"}
# ninjs gives each body as a string in a format named by its contenttype, and
# allows no properties of its own invention. So the blocks travel as a second
# body of the article, JSON text under a media type of ours: a ninjs reader
# that knows only HTML takes the text/html body and ignores this one, and the
# document stays valid ninjs 2.1. (Blocks as associations would have made every
# paragraph a fake news item.)
BLOCKS_CONTENTTYPE = "application/vnd.newsdesk.blocks+json"
LINK_BLOCKS = ("related_story", "read_more")


def picture(request, image, caption="") -> dict:
    renditions = {}
    for name, spec in RENDITIONS.items():
        rendition = image.get_rendition(spec)
        renditions[name] = {
            "href": request.build_absolute_uri(rendition.url),
            "contenttype": "image/jpeg",
            "width": rendition.width,
            "height": rendition.height,
        }
    item = {
        "standard": NINJS_STANDARD,
        "uri": request.build_absolute_uri(f"/api/v1/images/{image.pk}"),
        "type": "picture",
        "representationtype": "complete",
        "headlines": [{"role": "main", "value": image.title}],
        "copyrightnotice": image.credit,
        "renditions": renditions,
    }
    if caption or image.description:
        item["descriptions"] = [{"role": "caption", "value": caption or image.description}]
    if image.photographer:
        item["by"] = image.photographer
    if image.copyright_holder:
        item["copyrightholder"] = image.copyright_holder
    return item


def article(request, page, *, full_text: bool) -> dict:
    url = request.build_absolute_uri(page.get_url(request))
    authors = page.authors
    names = [author.name for author in authors] + (
        [page.byline_agency] if page.byline_agency else []
    )
    # Author and tag pages are the article's edition's: under its language prefix.
    edition = f"/{page.locale.language_code}/"
    item = {
        "standard": NINJS_STANDARD,
        "uri": url,
        "type": "text",
        "representationtype": "complete" if full_text else "incomplete",
        "version": str(page.live_revision_id or 1),
        "firstcreated": page.first_published_at.isoformat(),
        "contentcreated": page.first_published_at.isoformat(),
        "versioncreated": page.last_published_at.isoformat(),
        "pubstatus": "usable",
        "language": page.locale.language_code,
        "headlines": [{"role": "main", "value": page.title}],
        "altids": [{"role": "internal", "value": str(page.pk)}],
    }
    if page.short_title:
        item["headlines"].append({"role": "short", "value": page.short_title})
    if page.summary:
        item["descriptions"] = [{"role": "summary", "value": page.summary}]
    if names:
        item["by"] = ", ".join(names)
    if authors:
        item["people"] = [
            {
                "name": author.name,
                "rel": "author",
                "uri": request.build_absolute_uri(f"{edition}authors/{author.slug}/"),
            }
            for author in authors
        ]
    tags = page.tag_list
    if tags:
        item["subjects"] = [
            {"name": tag.name, "uri": request.build_absolute_uri(f"{edition}tags/{tag.slug}/")}
            for tag in tags
        ]
        item["keywords"] = [tag.name for tag in tags]
    if page.dateline_place:
        item["located"] = page.dateline_place
    if page.byline_agency or page.dateline_agency:
        item["infosources"] = [{"name": page.byline_agency or page.dateline_agency}]
    section = page.section
    item["genres"] = [{"name": section.title, "uri": request.build_absolute_uri(section.url)}]
    if full_text:
        html = str(page.rendered_body(request))
        words = strip_tags(html).split()
        item["bodies"] = [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": html,
                "charcount": sum(len(word) for word in words) + max(len(words) - 1, 0),
                "wordcount": len(words),
            },
            {
                "role": "main",
                "contenttype": BLOCKS_CONTENTTYPE,
                "value": json.dumps(body_blocks(request, page), ensure_ascii=False),
            },
        ]
    if page.lead_image is not None and page.lead_image.usable:
        item["associations"] = {
            "featureimage": picture(request, page.lead_image, page.lead_image_caption)
        }
    return item


def body_blocks(request, page) -> list[dict]:
    """The article body as a list of typed blocks (the format is in the README's API section).

    Like the HTML body, a block whose image or linked article is gone or not
    readable (a draft, a private page) is left out, and the list is kept until
    the next publish. The linked articles and every image with its renditions
    come in three queries, however long the body.
    """
    origin = request.build_absolute_uri("/")
    return kept_per_token(
        f"api-blocks:{page.pk}:{origin}", request, lambda: _body_blocks(request, page)
    )


def _body_blocks(request, page) -> list[dict]:
    raw_blocks = list(page.body.raw_data)
    article_ids = {b["value"].get("article") for b in raw_blocks if b["type"] in LINK_BLOCKS}
    linked = readable(ArticlePage.objects).in_bulk(article_ids - {None})
    image_ids = {b["value"].get("image") for b in raw_blocks if b["type"] == "image"}
    image_ids |= {article.lead_image_id for article in linked.values()}
    images = CreditedImage.objects.usable().prefetch_renditions().in_bulk(image_ids - {None})
    blocks = []
    for raw in raw_blocks:
        kind, value = raw["type"], raw["value"]
        if kind == "paragraph":
            blocks.append({"type": kind, "html": clean_rich_text(expand_db_html(value))})
        elif kind == "subheading":
            blocks.append({"type": kind, "text": value, "anchor": slugify(value) or "section"})
        elif kind == "quote":
            # Bodies also arrive from imports, which may leave a field out (None).
            block = {
                "type": kind,
                "text": value.get("text") or "",
                "attribution": value.get("speaker") or "",
            }
            if value.get("role"):
                block["role"] = value["role"]
            blocks.append(block)
        elif kind == "image" and value.get("image") in images:
            image, caption = images[value["image"]], value.get("caption") or ""
            block = {"type": kind, "credit": image.credit}
            if caption:
                block["caption"] = caption
            blocks.append({**block, "picture": picture(request, image, caption)})
        elif kind in LINK_BLOCKS and value.get("article") in linked:
            blocks.append(_link_block(request, kind, linked[value["article"]], images))
    return blocks


def _link_block(request, kind, article, images) -> dict:
    block = {
        "type": kind,
        "headline": article.title,
        "url": request.build_absolute_uri(article.get_url(request)),
        "api_url": request.build_absolute_uri(f"/api/v1/articles/{article.pk}"),
    }
    lead_image = images.get(article.lead_image_id)
    if kind == "related_story" and lead_image is not None:
        block["picture"] = picture(request, lead_image)
    return block


def live_entry(request, blog_url, entry, *, full_text: bool) -> dict:
    from newsdesk.accounts.models import display_name_of
    from newsdesk.live.templatetags.live_tags import entry_text

    item = {
        "standard": NINJS_STANDARD,
        "uri": f"{blog_url}#{entry.dom_id}",
        "type": "text",
        "representationtype": "complete" if full_text else "incomplete",
        "version": str(entry.version),
        "firstcreated": entry.created_at.isoformat(),
        "contentcreated": entry.display_at.isoformat(),
        "versioncreated": max(entry.display_at, entry.updated_at).isoformat(),
        "pubstatus": "usable",
        "altids": [{"role": "internal", "value": str(entry.pk)}],
        "descriptions": [{"role": "summary", "value": entry_text(entry)[:400]}],
    }
    if entry.headline:
        item["headlines"] = [{"role": "main", "value": entry.headline}]
    if entry.author is not None:
        item["by"] = display_name_of(entry.author)
    if entry.is_key_event or entry.is_pinned:
        item["keywords"] = [
            word
            for word, on in (("key event", entry.is_key_event), ("pinned", entry.is_pinned))
            if on
        ]
    if full_text:
        item["bodies"] = [{"role": "main", "contenttype": "text/html", "value": str(entry.body)}]
    return item


def live_blog(request, blog, entries, *, full_text: bool) -> dict:
    """A live blog as a composite item whose associations are its newest entries."""
    url = request.build_absolute_uri(blog.get_url(request))
    item = {
        "standard": NINJS_STANDARD,
        "uri": url,
        "type": "composite",
        "representationtype": "complete" if full_text else "incomplete",
        "pubstatus": "usable",
        "firstcreated": blog.first_published_at.isoformat(),
        "versioncreated": blog.last_published_at.isoformat(),
        "language": blog.locale.language_code,
        "headlines": [{"role": "main", "value": blog.title}],
        "altids": [{"role": "internal", "value": str(blog.pk)}],
        "keywords": [f"coverage {blog.status}"],
        "associations": {
            f"entry-{entry.pk}": live_entry(request, url, entry, full_text=full_text)
            for entry in entries
        },
    }
    if blog.summary:
        item["descriptions"] = [{"role": "summary", "value": blog.summary}]
    if blog.dateline_place:
        item["located"] = blog.dateline_place
    if blog.coverage_start:
        item["contentcreated"] = blog.coverage_start.isoformat()
    return item
