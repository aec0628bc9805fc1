"""Wire documents written for these tests, one function per format, and a tiny picture."""

import io
import json

from PIL import Image


def ninjs_item(
    *, uri="urn:test:wire:harbour-1", version="1", headline="Harbour strike ends", **extra
):
    item = {
        "uri": uri,
        "version": version,
        "type": "text",
        "versioncreated": "2026-03-02T08:15:00Z",
        "headlines": [
            {"role": "short", "value": "Strike ends"},
            {"role": "main", "value": headline},
        ],
        "descriptions": [{"role": "summary", "value": "Dockers return after nine days."}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": (
                    "<p>Dockers voted to return to work on Monday.</p>"
                    "<h2>What was agreed</h2>"
                    "<p>A pay rise <b>over two years</b>.<script>alert(1)</script></p>"
                    "<blockquote><p>We held together.</p><cite>Lena Brandt</cite></blockquote>"
                ),
            }
        ],
        "by": "Tom Ferris",
        "located": "Rotterdam",
        "copyrightholder": "Northwind Press",
        "associations": [
            {
                "name": "picture1",
                "type": "picture",
                "uri": "urn:test:wire:pic-1",
                "descriptions": [{"role": "caption", "value": "Cranes idle at the quay"}],
                "by": "Ines Vaal",
                "copyrightholder": "Northwind Press",
                "copyrightnotice": "© Northwind Press 2026 / Ines Vaal",
                "renditions": [
                    {"name": "thumb", "href": "http://example.invalid/t.jpg", "width": 100},
                    {"name": "main", "href": "http://example.invalid/quay.jpg", "width": 1200},
                ],
            }
        ],
    }
    item.update(extra)
    return item


def ninjs(*items) -> bytes:
    return json.dumps(list(items) if len(items) != 1 else items[0]).encode()


RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Test wire</title>
  <item>
    <guid isPermaLink="false">rss-1</guid>
    <title>Bridge reopens &amp; traffic returns</title>
    <description>The bridge is open again.</description>
    <content:encoded><![CDATA[<p>The old bridge reopened at dawn.</p>
<p onclick="x()">Cars crossed.</p>]]></content:encoded>
    <dc:creator>Sam Hale</dc:creator>
    <pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate>
    <media:content url="http://example.invalid/bridge.jpg" medium="image">
      <media:description>The bridge at dawn</media:description>
      <media:credit>Photo: Northwind Press</media:credit>
    </media:content>
  </item>
  <item>
    <title>An item with no identifier at all</title>
  </item>
  <item>
    <link>http://example.invalid/stories/2</link>
    <title>Second story</title>
    <description>&lt;p&gt;Escaped &lt;em&gt;markup&lt;/em&gt;.&lt;/p&gt;</description>
  </item>
</channel>
</rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Test atom wire</title>
  <id>urn:test:feed</id>
  <updated>2026-03-02T09:00:00Z</updated>
  <entry>
    <id>urn:test:atom:1</id>
    <title>Council approves budget</title>
    <updated>2026-03-02T09:00:00Z</updated>
    <published>2026-03-02T08:00:00Z</published>
    <author><name>Ria Moss</name></author>
    <summary>A short summary.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"
      ><p>The council voted <strong>31 to 12</strong>.</p></div></content>
    <link rel="enclosure" type="image/jpeg" href="http://example.invalid/council.jpg"
          title="The chamber"/>
  </entry>
</feed>"""

NEWSML = b"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:test:g2:flood" version="3"
          standard="NewsML-G2" standardversion="2.29">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider literal="Northwind"/>
    <versionCreated>2026-03-02T10:30:00Z</versionCreated>
  </itemMeta>
  <contentMeta>
    <located><name>Valencia</name></located>
    <creditline>Northwind Press</creditline>
    <by>Pau Serra</by>
    <headline>River bursts its banks after storm</headline>
    <description role="drol:summary">Hundreds leave their homes.</description>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head>
      <body><p>Water rose a metre overnight.</p><h3>Roads shut</h3
      ><p>Two roads are closed.</p></body></html>
    </inlineXML>
  </contentSet>
</newsItem>"""


def jpeg(color=(40, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return buffer.getvalue()
