"""What the content API answers, as declared in its OpenAPI document.

The views build their ninjs documents by hand (ninjs.py) and return them as
they are, so nothing here validates an answer on its way out. These classes
describe what is sent, field by field, for the documentation and for the
test that checks every answer of a running server against the document
(e2e/test_api_conformance.py). Unknown fields are forbidden, as in ninjs
itself: a field sent but not declared here fails that test.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, TypeAdapter


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class Standard(Strict):
    name: Literal["ninjs"]
    version: Literal["2.1"]
    schema_: str = Field(alias="schema")


class Text(Strict):
    role: str
    value: str


class Named(Strict):
    name: str
    uri: str | None = None


class Person(Named):
    rel: str


class Body(Strict):
    role: str
    contenttype: str = Field(
        description='"text/html", or "application/vnd.newsdesk.blocks+json" for the body '
        "as typed blocks: JSON text whose shape is the Blocks schema"
    )
    value: str
    charcount: int = Field(default=None)
    wordcount: int = Field(default=None)


class Rendition(Strict):
    href: str
    contenttype: str
    width: int
    height: int


class Item(Strict):
    """What every ninjs item we send has."""

    standard: Standard
    uri: str
    representationtype: Literal["complete", "incomplete"]
    headlines: list[Text]
    descriptions: list[Text] = Field(default=None)
    by: str = Field(default=None)


class Picture(Item):
    type: Literal["picture"]
    copyrightnotice: str = Field(description="The credit line")
    copyrightholder: str = Field(default=None)
    renditions: dict[str, Rendition]


class News(Item):
    """What articles, live blogs and live entries share."""

    version: str = Field(default=None)
    firstcreated: datetime
    contentcreated: datetime = Field(default=None)
    versioncreated: datetime
    pubstatus: Literal["usable"]
    altids: list[Text]
    keywords: list[str] = Field(default=None)
    bodies: list[Body] = Field(default=None, description="Full text, for key holders only")


class Article(News):
    type: Literal["text"]
    language: str
    located: str = Field(default=None, description="The dateline's place")
    people: list[Person] = Field(default=None)
    subjects: list[Named] = Field(default=None, description="The article's tags")
    genres: list[Named] = Field(description="The article's section")
    infosources: list[Named] = Field(default=None)
    associations: dict[Literal["featureimage"], Picture] = Field(default=None)


class ArticleList(Strict):
    items: list[Article]
    next: str | None = Field(description="The next page, or null on the last")


class LiveEntry(News):
    type: Literal["text"]
    headlines: list[Text] = Field(default=None, description="When the entry has a headline")


class LiveBlog(News):
    type: Literal["composite"]
    language: str
    located: str = Field(default=None)
    associations: dict[str, LiveEntry] = Field(description="Newest published entries first")


class Problem(Strict):
    detail: str


class InvalidInput(Strict):
    detail: list[dict] = Field(description="What was wrong with which parameter")


# The body as typed blocks: the list that a body of contenttype
# application/vnd.newsdesk.blocks+json holds as JSON text.


class Paragraph(Strict):
    type: Literal["paragraph"]
    html: str = Field(description="Sanitised: p, br, b, strong, i, em, a (href), ul, ol, li")


class Subheading(Strict):
    type: Literal["subheading"]
    text: str
    anchor: str = Field(description="Its id on the article page")


class Quote(Strict):
    type: Literal["quote"]
    text: str
    attribution: str = Field(description="Who said it")
    role: str = Field(default=None, description="The speaker's role")


class Image(Strict):
    type: Literal["image"]
    credit: str
    caption: str = Field(default=None)
    picture: Picture


class RelatedStory(Strict):
    type: Literal["related_story"]
    headline: str
    url: str = Field(description="The article on the site")
    api_url: str = Field(description="The article in this API")
    picture: Picture = Field(default=None, description="Its lead photo")


class ReadMore(Strict):
    type: Literal["read_more"]
    headline: str
    url: str
    api_url: str


Block = Annotated[
    Paragraph | Subheading | Quote | Image | RelatedStory | ReadMore, Field(discriminator="type")
]

BLOCKS_SCHEMA = TypeAdapter(list[Block]).json_schema(ref_template="#/components/schemas/{model}")


# What every operation may answer besides its document.
ERRORS = {304: None, 404: Problem, 422: InvalidInput, 429: Problem}
