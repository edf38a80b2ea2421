"""The drag-slider check (拖动滑块完成验证), drawn and verified by the server.

The server picks the gap's position with `secrets`, draws the background with the gap
and the matching piece (Pillow), and keeps the answer in the shared cache for at most
two minutes; it never leaves the server (not in JSON, HTML, file names or image data).
Verifying deletes the challenge first, so each puzzle gets exactly one try; the answer
must be within a few pixels and come with a plausible drag trail (mouse, touch or arrow
keys). Success issues a single-use pass bound to the session and a purpose ("login",
"sms"), which the login and SMS views consume.
"""

import hmac
import io
import math
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 320, 160
PIECE = 44
KNOB = 9
TOLERANCE = 6
CHALLENGE_SECONDS = 120
PASS_SECONDS = 300
MIN_TRAIL_POINTS = 5
MIN_DRAG_MS = 150
PURPOSES = ("login", "sms")
SESSION_KEY = "captcha_passes"

PALETTES = [
    ((14, 77, 162), (84, 160, 255)),
    ((16, 120, 110), (120, 210, 180)),
    ((120, 60, 150), (240, 160, 200)),
    ((190, 90, 20), (255, 205, 120)),
]


@dataclass(frozen=True)
class Challenge:
    id: str
    piece_top: int


def _key(challenge_id: str) -> str:
    return f"captcha:{challenge_id}"


def _piece_mask() -> Image.Image:
    """A jigsaw piece: a square with a round knob on its right side and on its top."""
    size = PIECE + KNOB
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    top = KNOB
    draw.rectangle((0, top, PIECE - 1, top + PIECE - 1), fill=255)
    draw.ellipse((PIECE // 2 - KNOB, 0, PIECE // 2 + KNOB, 2 * KNOB), fill=255)
    draw.ellipse((PIECE - KNOB - 1, top + PIECE // 2 - KNOB, PIECE + KNOB - 1, top + PIECE // 2 + KNOB), fill=255)
    return mask


def _background() -> Image.Image:
    start, end = PALETTES[secrets.randbelow(len(PALETTES))]
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    angle = secrets.randbelow(360) / 180 * math.pi
    for x in range(WIDTH):
        t = 0.5 + 0.5 * math.cos(angle + x / WIDTH * math.pi)
        draw.line((x, 0, x, HEIGHT), fill=tuple(int(a + (b - a) * t) for a, b in zip(start, end, strict=True)))
    for _ in range(18):
        r = 8 + secrets.randbelow(40)
        cx, cy = secrets.randbelow(WIDTH), secrets.randbelow(HEIGHT)
        shade = tuple(min(255, c + 40 + secrets.randbelow(80)) for c in start)
        if secrets.randbelow(2):
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=shade, width=2 + secrets.randbelow(4))
        else:
            draw.polygon([(cx, cy - r), (cx + r, cy + r), (cx - r, cy + r)], fill=shade)
    return image.filter(ImageFilter.SMOOTH)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def draw(left: int, top: int) -> tuple[bytes, bytes]:
    """The background with the gap at (left, top) and the piece cut from the same spot."""
    background = _background()
    mask = _piece_mask()
    box = (left, top - KNOB, left + mask.width, top - KNOB + mask.height)
    piece = Image.new("RGBA", mask.size, (0, 0, 0, 0))
    piece.paste(background.crop(box), (0, 0), mask)
    outline = mask.filter(ImageFilter.FIND_EDGES)
    piece.paste((255, 255, 255, 255), (0, 0), outline)
    shade = Image.new("RGB", mask.size, (20, 20, 30))
    hole = Image.blend(background.crop(box), shade, 0.55)
    background.paste(hole, box[:2], mask)
    background.paste((255, 255, 255), box[:2], outline)
    return _png(background), _png(piece)


def new_challenge(purpose: str) -> Challenge:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown captcha purpose {purpose!r}")
    challenge_id = secrets.token_urlsafe(18)
    left = 70 + secrets.randbelow(WIDTH - PIECE - KNOB - 80)
    top = KNOB + 4 + secrets.randbelow(HEIGHT - PIECE - KNOB - 8)
    background, piece = draw(left, top)
    cache.set(
        _key(challenge_id),
        {"left": left, "purpose": purpose, "created": time.time(), "background": background, "piece": piece},
        CHALLENGE_SECONDS,
    )
    return Challenge(id=challenge_id, piece_top=top - KNOB)


def image(challenge_id: str, part: str) -> bytes | None:
    data = cache.get(_key(challenge_id))
    return data.get(part) if data and part in ("background", "piece") else None


def plausible_trail(trail, final_left: int) -> bool:
    """A person's drag: several points, moving right over time, ending where the answer is."""
    try:
        points = [(float(t), float(x)) for t, x in trail]
    except (TypeError, ValueError):
        return False
    if len(points) < MIN_TRAIL_POINTS or len(points) > 2000:
        return False
    times = [t for t, _ in points]
    positions = [x for _, x in points]
    if any(b < a for a, b in zip(times, times[1:], strict=False)):
        return False
    if not MIN_DRAG_MS <= times[-1] - times[0] <= CHALLENGE_SECONDS * 1000:
        return False
    if positions[0] > 10 or abs(positions[-1] - final_left) > 2:
        return False
    return len(set(round(x) for x in positions)) >= 3


def verify(session, challenge_id: str, left, trail, purpose: str) -> str | None:
    """Check an answer; return a single-use pass token, or None. One try per puzzle."""
    key = _key(str(challenge_id))
    data = cache.get(key)
    if data is None or not cache.delete(key):
        return None
    try:
        left = float(left)
    except (TypeError, ValueError):
        return None
    if (
        data["purpose"] != purpose
        or time.time() - data["created"] > CHALLENGE_SECONDS
        or abs(left - data["left"]) > TOLERANCE
        or not plausible_trail(trail, left)
    ):
        return None
    token = secrets.token_urlsafe(24)
    passes = session.get(SESSION_KEY, {})
    passes[purpose] = {"token": token, "expires": time.time() + PASS_SECONDS}
    session[SESSION_KEY] = passes
    return token


def consume_pass(session, purpose: str, token: str | None) -> bool:
    """True once for a pass issued to this session for this purpose; never again."""
    passes = session.get(SESSION_KEY, {})
    entry = passes.pop(purpose, None)
    session[SESSION_KEY] = passes
    if not entry or not token or entry["expires"] < time.time():
        return False
    return hmac.compare_digest(entry["token"], str(token))
