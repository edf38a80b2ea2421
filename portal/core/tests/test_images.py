"""One image path for the licence and every image proof (`portal.core.files.checks`): a corpus
of the files phones, scanners and image editors write, generated here, each accepted, turned
upright by its EXIF orientation and re-encoded as the same picture without metadata; and
the sideways phone photo of ../shared/cases/licence_exif_orientation6.jpg (tests/cases/)."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageStat

from portal.core.files.checks import check_proof, clean_licence_image

CASE = Path(__file__).resolve().parents[3] / "tests" / "cases" / "licence_exif_orientation6.jpg"
ORIENTATION = 0x0112


def marked(mode, size=(120, 80)):
    """A picture whose left half is dark and right half light: wider than high, so turning is visible."""
    image = Image.new("RGB", size, (250, 250, 250))
    image.paste((10, 10, 10), (0, 0, size[0] // 2, size[1]))
    if mode == "I;16":
        return image.convert("L").convert("I").point(lambda v: v * 256).convert("I;16")
    return image.convert(mode)


def encoded(image, fmt, **params):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def with_orientation(image, value):
    exif = Image.Exif()
    exif[ORIENTATION] = value
    exif[0x010F] = "PhoneMaker"
    return exif


def corpus():
    rgb = marked("RGB")
    palette_transparent = marked("P")
    palette_transparent.info["transparency"] = 0
    return {
        "phone photo, rotated 90° (orientation 6)": ("jpg", encoded(rgb, "JPEG", exif=with_orientation(rgb, 6)), 6),
        "phone photo, upside down (orientation 3)": ("jpg", encoded(rgb, "JPEG", exif=with_orientation(rgb, 3)), 3),
        "phone photo, rotated 270° (orientation 8)": ("jpg", encoded(rgb, "JPEG", exif=with_orientation(rgb, 8)), 8),
        "mirrored selfie (orientation 2)": ("jpg", encoded(rgb, "JPEG", exif=with_orientation(rgb, 2)), 2),
        "multi-camera phone (MPO)": ("jpg", encoded(rgb, "MPO", save_all=True, append_images=[rgb],
                                                     exif=with_orientation(rgb, 6)), 6),
        "progressive JPEG": ("jpg", encoded(rgb, "JPEG", progressive=True), 1),
        "CMYK scan (JPEG)": ("jpg", encoded(marked("CMYK"), "JPEG"), 1),
        "grey scan (JPEG)": ("jpg", encoded(marked("L"), "JPEG"), 1),
        "black-and-white scan (PNG, 1-bit)": ("png", encoded(marked("1"), "PNG"), 1),
        "grey PNG": ("png", encoded(marked("L"), "PNG"), 1),
        "grey with alpha PNG": ("png", encoded(marked("LA"), "PNG"), 1),
        "16-bit grey PNG": ("png", encoded(marked("I;16"), "PNG"), 1),
        "palette PNG": ("png", encoded(marked("P"), "PNG"), 1),
        "palette PNG with transparency": ("png", encoded(palette_transparent, "PNG"), 1),
        "RGBA screenshot": ("png", encoded(marked("RGBA"), "PNG"), 1),
        "PNG from an editor with EXIF rotation": ("png", encoded(rgb, "PNG", exif=with_orientation(rgb, 6)), 6),
    }


CORPUS = corpus()


def upright_size(orientation, size=(120, 80)):
    return size[::-1] if orientation in (5, 6, 7, 8) else size


def dark_side(image):
    """Where the dark half of `marked` lies after decoding: left, right, top or bottom."""
    grey = image.convert("L")
    w, h = grey.size
    halves = {"left": (0, 0, w // 2, h), "right": (w // 2, 0, w, h), "top": (0, 0, w, h // 2),
              "bottom": (0, h // 2, w, h)}
    return min(halves, key=lambda side: ImageStat.Stat(grey.crop(halves[side])).mean[0])


# Where the dark half (left in the stored pixels) lies when the picture is shown upright.
DARK_SIDE = {1: "left", 2: "right", 3: "right", 6: "top", 8: "bottom"}


@pytest.mark.parametrize("name", CORPUS)
def test_every_image_of_the_corpus_is_kept_upright_and_the_same_picture(name):
    extension, data, orientation = CORPUS[name]
    for check in (lambda upload: clean_licence_image(upload), lambda upload: check_proof(upload)[1]):
        stored = check(SimpleUploadedFile(f"scan.{extension}", data))
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == ("JPEG" if extension == "jpg" else "PNG")
        assert image.size == upright_size(orientation)
        assert dark_side(image) == DARK_SIDE[orientation], name
        assert ORIENTATION not in image.getexif() and 0x010F not in image.getexif()


def test_case_licence_exif_orientation6_is_stored_upright():
    data = CASE.read_bytes()
    original = Image.open(io.BytesIO(data))
    assert original.getexif()[ORIENTATION] == 6
    stored = Image.open(clean_licence_image(SimpleUploadedFile("licence.jpg", data)))
    assert stored.size == original.size[::-1]
    assert ORIENTATION not in stored.getexif()
