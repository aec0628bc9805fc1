"""Placeholder photographs for the demo newsroom, drawn with Pillow.

Each scene is a simple, recognisable composition (a sky, a horizon, shapes)
so the demo's pages look like a news site without shipping anyone's photos.
The drawing is seeded by the image title, so a rebuild draws the same picture.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 1067

PALETTES = {
    "smoke": ((118, 128, 140), (212, 200, 180), (92, 84, 72)),
    "city": ((96, 150, 210), (220, 232, 245), (60, 66, 80)),
    "sea": ((70, 140, 200), (190, 225, 245), (20, 80, 130)),
    "ship": ((120, 170, 215), (225, 236, 245), (70, 78, 92)),
    "mountains": ((90, 140, 200), (230, 238, 246), (70, 96, 110)),
    "crowd": ((160, 180, 205), (235, 230, 220), (80, 70, 90)),
    "field": ((110, 170, 230), (235, 240, 220), (110, 150, 60)),
    "portrait": ((60, 64, 80), (150, 140, 150), (30, 30, 40)),
    "desert": ((240, 190, 120), (250, 230, 190), (200, 150, 90)),
    "night": ((10, 14, 40), (50, 60, 110), (20, 20, 30)),
    "market": ((230, 170, 110), (250, 225, 190), (140, 80, 50)),
    "harbour": ((100, 160, 210), (225, 236, 245), (40, 90, 120)),
    "forest": ((120, 170, 200), (210, 230, 215), (30, 90, 50)),
    "snow": ((170, 190, 215), (245, 248, 252), (225, 232, 240)),
    "stadium": ((40, 60, 110), (90, 120, 170), (40, 130, 60)),
}


def _gradient(top, bottom):
    base = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        base.putpixel((0, y), tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return base.resize((WIDTH, HEIGHT))


def _ridge(draw, rng, y, roughness, colour, step=80):
    points = [(0, HEIGHT)]
    for x in range(0, WIDTH + step, step):
        points.append((x, y + rng.randint(-roughness, roughness)))
    points.append((WIDTH, HEIGHT))
    draw.polygon(points, fill=colour)


def draw_scene(scene: str, seed: str) -> bytes:
    """A JPEG of the named scene; unknown scenes fall back to a city skyline."""
    rng = random.Random(seed)
    sky, light, ground = PALETTES.get(scene, PALETTES["city"])
    image = _gradient(sky, light)
    draw = ImageDraw.Draw(image)
    horizon = int(HEIGHT * rng.uniform(0.55, 0.7))

    if scene in ("smoke",):
        _ridge(draw, rng, horizon, 20, ground)
        for _ in range(18):
            x, y = rng.randint(500, 1100), rng.randint(150, horizon)
            r = rng.randint(80, 220)
            shade = rng.randint(70, 130)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(shade, shade, shade + 5))
        for _ in range(40):
            x = rng.randint(0, WIDTH)
            draw.rectangle(
                (x, horizon - rng.randint(20, 70), x + rng.randint(30, 70), HEIGHT),
                fill=(200, 190, 170),
            )
    elif scene in ("mountains", "snow", "forest", "desert", "field"):
        far = tuple(min(255, c + 40) for c in ground)
        _ridge(draw, rng, horizon - 180, 120, far, step=160)
        _ridge(draw, rng, horizon, 60, ground, step=100)
        if scene == "forest":
            for _ in range(90):
                x, y = rng.randint(0, WIDTH), rng.randint(horizon - 40, HEIGHT)
                h = rng.randint(80, 200)
                draw.polygon(
                    [(x, y - h), (x - h // 4, y), (x + h // 4, y)],
                    fill=(20, 70 + rng.randint(0, 40), 35),
                )
    elif scene in ("sea", "ship", "harbour"):
        draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=ground)
        for _ in range(60):
            y = rng.randint(horizon, HEIGHT)
            x = rng.randint(0, WIDTH)
            draw.line(
                (x, y, x + rng.randint(40, 160), y),
                fill=tuple(min(255, c + 50) for c in ground),
                width=3,
            )
        if scene in ("ship", "harbour"):
            x = rng.randint(300, 900)
            draw.polygon(
                [
                    (x, horizon + 40),
                    (x + 600, horizon + 40),
                    (x + 540, horizon + 120),
                    (x + 60, horizon + 120),
                ],
                fill=(80, 86, 96),
            )
            draw.rectangle((x + 380, horizon - 60, x + 470, horizon + 40), fill=(110, 116, 126))
            draw.rectangle((x + 60, horizon + 20, x + 560, horizon + 45), fill=(140, 146, 156))
    elif scene in ("crowd", "stadium", "market"):
        _ridge(draw, rng, horizon, 10, ground)
        for _ in range(260):
            x, y = rng.randint(-20, WIDTH), rng.randint(horizon - 60, HEIGHT + 40)
            r = rng.randint(18, 34)
            colour = tuple(rng.randint(40, 230) for _ in range(3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
            draw.rectangle((x - r, y + r // 2, x + r, y + 3 * r), fill=colour)
    elif scene == "portrait":
        draw.ellipse((600, 220, 1000, 660), fill=(200, 160, 130))
        draw.rectangle((470, 640, 1130, HEIGHT), fill=(40, 50, 70))
    else:  # city and night
        for _ in range(45):
            x = rng.randint(-50, WIDTH)
            w, h = rng.randint(60, 160), rng.randint(150, 600)
            draw.rectangle((x, horizon - h, x + w, HEIGHT), fill=ground)
            if scene == "night":
                for _ in range(12):
                    wx, wy = rng.randint(x + 5, x + w - 10), rng.randint(horizon - h + 10, horizon)
                    draw.rectangle((wx, wy, wx + 8, wy + 12), fill=(250, 220, 120))

    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()
