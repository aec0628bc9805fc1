"""Real image files as cameras and agencies write them, built with Pillow."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def jpeg(*, size=(640, 480), exif=None, xmp=None, iptc=None, gps=False, orientation=None):
    """A JPEG with the given EXIF tags ({tag: value}), XMP packet and IPTC records."""
    tags = Image.Exif()
    for tag, value in (exif or {}).items():
        tags[tag] = value
    if orientation:
        tags[0x0112] = orientation
    if gps:
        tags[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    options = {"exif": tags.tobytes()} if len(tags) else {}
    if xmp:
        options["xmp"] = xmp.encode("utf-8")
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 140, 200)).save(buffer, "JPEG", **options)
    data = buffer.getvalue()
    if iptc:
        data = data[:2] + _photoshop_segment(iptc) + data[2:]
    return data


def _photoshop_segment(records):
    """An APP13 segment holding IPTC IIM records ({(record, dataset): text})."""
    iim = b"\x1c\x01\x5a\x00\x03\x1b%G"  # 1:90, coded character set: UTF-8
    for (record, dataset), text in records.items():
        value = text.encode("utf-8")
        iim += struct.pack(">BBBH", 0x1C, record, dataset, len(value)) + value
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def xmp_packet(*, description="", creator="", rights="", credit=""):
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="{credit}">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt>
</dc:description>
<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def png(size=(400, 300)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 90, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def png_declaring(width, height):
    """A tiny PNG whose header claims width x height pixels: a decompression bomb."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * width
    pixels = zlib.compress(row * 16, 9)  # only the first rows: nobody should get that far
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)
