from urllib.parse import quote

from django import template
from django.utils.html import escape
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def placeholder_src(image) -> str:
    """A neutral picture, the image's shape, saying it is no longer available.

    A data: URL of an SVG, so the placeholder is an <img> like the photo it
    replaces (the same width, height and styles: no layout moves) and no
    request is made for it. SVG in an <img> runs no scripts.
    """
    width, height = image.width or 3, image.height or 2
    font_size = max(width // 28, 8)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
        f'<rect width="100%" height="100%" fill="#e8e8e8"/>'
        f'<text x="50%" y="50%" fill="#666" font-family="sans-serif" font-size="{font_size}" '
        f'text-anchor="middle" dominant-baseline="middle">'
        f"{escape(_('Image no longer available'))}</text></svg>"
    )
    return "data:image/svg+xml," + quote(svg, safe=" /:=\"'#,.-")
