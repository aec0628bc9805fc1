"""What an uploaded photo's file says about itself, and what it must not say.

Agencies and photographers embed the caption and credits in three places:
IPTC IIM (the oldest, still what most wire photos carry), XMP and EXIF. The
first non-empty value wins in that order. Phones embed where the picture was
taken (EXIF GPS), which a published file must not give away.
"""

import io
import re
import struct
import xml.etree.ElementTree as ET
import zlib

from PIL import Image, IptcImagePlugin

GPS_IFD = 0x8825
EXIF_DESCRIPTION, EXIF_ARTIST, EXIF_COPYRIGHT = 0x010E, 0x013B, 0x8298
IPTC_BY_LINE, IPTC_CREDIT, IPTC_COPYRIGHT, IPTC_CAPTION = (2, 80), (2, 110), (2, 116), (2, 120)
IPTC_CHARSET, IPTC_UTF8 = (1, 90), b"\x1b%G"

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
# Of what Pillow read from the original, what a rendition may keep: how its
# pixels look and move, nothing about where, by whom or with what it was taken.
RENDITION_INFO_KEPT = {"icc_profile", "transparency", "duration", "loop", "background", "gamma"}


def read_credits(data: bytes) -> dict[str, str]:
    """The caption and credits embedded in an image file, by our field names (empty: left out)."""
    try:
        image = Image.open(io.BytesIO(data))
    except Exception:
        return {}
    iptc, xmp, exif = _iptc(image), _xmp(image), _exif(image)
    found = {
        "description": _first(
            iptc.get(IPTC_CAPTION), xmp.get("description"), exif.get("description")
        ),
        "photographer": _first(iptc.get(IPTC_BY_LINE), xmp.get("creator"), exif.get("artist")),
        "copyright_holder": _first(
            iptc.get(IPTC_COPYRIGHT), xmp.get("rights"), exif.get("copyright")
        ),
    }
    credit = _first(iptc.get(IPTC_CREDIT), xmp.get("credit"))
    # Without a credit line, the notice and the photographer make one.
    found["credit"] = credit or " / ".join(
        value for value in (found["copyright_holder"], found["photographer"]) if value
    )
    return {field: value[:255] for field, value in found.items() if value}


def _first(*values):
    return next((value for value in values if value), "")


def _text(raw) -> str:
    return " ".join(raw.replace("\x00", " ").split())


def _iptc(image) -> dict:
    try:
        records = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:
        return {}
    utf8 = records.get(IPTC_CHARSET) == IPTC_UTF8
    found = {}
    for key in (IPTC_BY_LINE, IPTC_CREDIT, IPTC_COPYRIGHT, IPTC_CAPTION):
        values = records.get(key)
        if values is None:
            continue
        values = values if isinstance(values, list) else [values]
        found[key] = ", ".join(_text(_decode(value, utf8)) for value in values)
    return found


def _decode(value: bytes, utf8: bool) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        if utf8:
            return value.decode("utf-8", "replace")
        return value.decode("latin-1")


def _exif(image) -> dict:
    try:
        exif = image.getexif()
    except Exception:
        return {}
    tags = {"description": EXIF_DESCRIPTION, "artist": EXIF_ARTIST, "copyright": EXIF_COPYRIGHT}
    found = {}
    for name, tag in tags.items():
        value = exif.get(tag)
        if isinstance(value, bytes):
            value = _decode(value, utf8=False)
        if isinstance(value, str):
            found[name] = _text(value)
    return found


def _xmp(image) -> dict:
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet:
        return {}
    return parse_xmp(packet)


def parse_xmp(packet: bytes | str) -> dict:
    """dc:description, dc:creator, dc:rights and photoshop:Credit from an XMP packet.

    Parsed with the standard library; a packet with a document type (where
    entity expansion attacks live) is not parsed at all: XMP never needs one.
    """
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    if re.search(rb"<!(DOCTYPE|ENTITY)", packet, re.IGNORECASE):
        return {}
    start, end = packet.find(b"<x:xmpmeta"), packet.rfind(b"</x:xmpmeta>")
    if start == -1 or end == -1:
        start, end = packet.find(b"<rdf:RDF"), packet.rfind(b"</rdf:RDF>")
        if start == -1 or end == -1:
            return {}
        end += len(b"</rdf:RDF>")
    else:
        end += len(b"</x:xmpmeta>")
    try:
        root = ET.fromstring(packet[start:end])
    except ET.ParseError:
        return {}
    properties = {
        "description": ("dc", "description"),
        "creator": ("dc", "creator"),
        "rights": ("dc", "rights"),
        "credit": ("photoshop", "Credit"),
    }
    found = {}
    for name, (prefix, local) in properties.items():
        value = _xmp_property(root, f"{{{NS[prefix]}}}{local}")
        if value:
            found[name] = value
    return found


def _xmp_property(root, tag: str) -> str:
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        if description.get(tag):
            return _text(description.get(tag))
        element = description.find(tag)
        if element is None:
            continue
        items = element.findall(f".//{{{NS['rdf']}}}li")
        if not items:
            return _text(element.text or "")
        # A language alternative: the default language, else the first.
        default = [li for li in items if li.get(f"{{{NS['xml']}}}lang") == "x-default"]
        if default and element.find(f"{{{NS['rdf']}}}Alt") is not None:
            return _text(default[0].text or "")
        if element.find(f"{{{NS['rdf']}}}Alt") is not None:
            return _text(items[0].text or "")
        return ", ".join(_text(li.text or "") for li in items if li.text)
    return ""


def drop_from_info(info: dict) -> None:
    """Forget, in place, every piece of metadata Pillow would write into a rendition."""
    for key in list(info):
        if key not in RENDITION_INFO_KEPT:
            del info[key]


def without_location(data: bytes) -> bytes:
    """The file without its EXIF GPS block; the same bytes when it has none.

    Edited in place, at the same length: the pixels, the other EXIF tags (the
    photographer's copyright notice among them) and every container offset
    stay exactly as they were, whatever the format.
    """
    try:
        image = Image.open(io.BytesIO(data))
        blob = image.info.get("exif") or b""
    except Exception:
        return data
    tiff = blob[6:] if blob.startswith(b"Exif\x00\x00") else blob
    start = data.find(tiff) if tiff else -1
    if start == -1:
        return data
    cleaned = _without_gps_ifd(tiff)
    if cleaned == tiff:
        return data
    edited = bytearray(data)
    edited[start : start + len(tiff)] = cleaned
    if image.format == "PNG":  # the eXIf chunk is checksummed
        chunk = start - 4
        crc = zlib.crc32(bytes(edited[chunk : start + len(tiff)]))
        edited[start + len(tiff) : start + len(tiff) + 4] = struct.pack(">I", crc)
    return bytes(edited)


TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}


def _without_gps_ifd(tiff: bytes) -> bytes:
    """The TIFF (EXIF) block with its GPS directory zeroed and unlinked, at the same length."""
    if tiff[:2] not in (b"II", b"MM"):
        return tiff
    order = "<" if tiff[:2] == b"II" else ">"
    data = bytearray(tiff)
    try:
        (ifd0,) = struct.unpack_from(order + "I", data, 4)
        (count,) = struct.unpack_from(order + "H", data, ifd0)
        entries = [ifd0 + 2 + 12 * i for i in range(count)]
        gps_entry = next(
            (e for e in entries if struct.unpack_from(order + "H", data, e)[0] == GPS_IFD), None
        )
        if gps_entry is None:
            return tiff
        (gps,) = struct.unpack_from(order + "I", data, gps_entry + 8)
        (gps_count,) = struct.unpack_from(order + "H", data, gps)
        for entry in range(gps + 2, gps + 2 + 12 * gps_count, 12):
            _tag, kind, number, offset = struct.unpack_from(order + "HHII", data, entry)
            size = TIFF_TYPE_SIZES.get(kind, 1) * number
            if size > 4 and offset + size <= len(data):
                data[offset : offset + size] = bytes(size)
        data[gps : gps + 2 + 12 * gps_count + 4] = bytes(2 + 12 * gps_count + 4)
        # Unlink: the entries after it move up, the directory's end (next-IFD
        # offset) with them; the freed last 12 bytes are zeroed.
        end = ifd0 + 2 + 12 * count + 4
        data[gps_entry : end - 12] = data[gps_entry + 12 : end]
        data[end - 12 : end] = bytes(12)
        struct.pack_into(order + "H", data, ifd0, count - 1)
    except struct.error:
        return tiff
    return bytes(data)
