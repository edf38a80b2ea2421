"""Uploaded images and proofs, checked by decoding them, never by their names alone: the
business-licence image (营业执照) and every image proof go through one path, `upright_image`,
which turns the picture by its EXIF orientation (phones store a rotation tag instead of
turning the pixels) and re-encodes it, so nothing but pixels is kept (EXIF, trailing bytes
and any other payload are dropped) and every mode and container that phones, scanners and
image editors write (CMYK and grey scans, 16-bit, palette and transparent PNGs, the MPO
JPEGs of multi-camera phones) comes out as an ordinary JPEG or PNG of the same picture."""

import io
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

LICENCE_MAX_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


def clean_licence_image(upload) -> ContentFile:
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError("营业执照只能上传jpg/png格式的图片文件。", code="extension")
    if upload.size == 0:
        raise ValidationError("上传的文件是空的，请重新选择。", code="empty")
    if upload.size > LICENCE_MAX_BYTES:
        raise ValidationError("营业执照文件大小不能超过2M。", code="size")
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError("图片尺寸过大，请压缩后重新上传。", code="pixels")
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError("图片尺寸过大，请压缩后重新上传。", code="pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("文件不是有效的jpg/png图片，请上传营业执照扫描件或照片。", code="invalid") from None
    if JPEG_CONTAINERS.get(image.format, image.format) != FORMATS[suffix]:
        raise ValidationError("文件内容与扩展名不符，请上传真实的jpg/png图片。", code="mismatch")
    data, extension = upright_image(image)
    return ContentFile(data, name=f"licence{extension}")


# Containers Pillow names apart that hold an ordinary JPEG (MPO: multi-picture JPEGs of
# phones with several cameras; the first picture is the photo).
JPEG_CONTAINERS = {"MPO": "JPEG"}
SIXTEEN_BIT_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")


def upright_image(image: Image.Image) -> tuple[bytes, str]:
    """A decoded JPEG/MPO or PNG image as (bytes, ".jpg" or ".png"): turned upright by its
    EXIF orientation, then re-encoded without metadata. JPEGs stay JPEG (grey stays grey;
    CMYK, YCbCr and others become RGB); PNGs stay PNG (1, L, LA, RGB, RGBA kept; a palette
    with transparency becomes RGBA, without it RGB; 16-bit and float become 8-bit grey).
    Raises ValidationError when the pixels cannot be decoded."""
    source_format = JPEG_CONTAINERS.get(image.format, image.format)
    try:
        image = ImageOps.exif_transpose(image)
        if image.mode in SIXTEEN_BIT_MODES:
            image = image.convert("I").point(lambda value: value / 256).convert("L")
        buffer = io.BytesIO()
        if source_format == "JPEG":
            image.convert(image.mode if image.mode in ("L", "RGB") else "RGB").save(buffer, "JPEG", quality=90)
            return buffer.getvalue(), ".jpg"
        if image.mode == "P":
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        elif image.mode not in ("1", "L", "LA", "RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        image.save(buffer, "PNG", optimize=True)
        return buffer.getvalue(), ".png"
    except (OSError, ValueError, SyntaxError):
        raise ValidationError("图片文件已损坏或不完整，请重新上传。", code="invalid") from None


PROOF_SUFFIXES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
PROOF_MAGIC = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}
PROOF_MAX_BYTES = 10 * 1024 * 1024
OWNER_QUOTA_BYTES = 500 * 1024 * 1024  # per enterprise (one account each)


def check_proof(upload, max_bytes=PROOF_MAX_BYTES) -> tuple[str, object]:
    """A proof file (PDF, JPG or PNG up to `max_bytes`), judged by its content. Returns
    (content type, file to store): a PDF as uploaded, an image upright and re-encoded
    (`upright_image`). Raises ValidationError (Chinese) for a refused file."""
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    content_type = PROOF_SUFFIXES.get(suffix)
    if content_type is None:
        raise ValidationError("证明文件只能是PDF、JPG或PNG格式。", code="extension")
    if upload.size == 0:
        raise ValidationError("上传的文件是空的，请重新选择。", code="empty")
    if upload.size > max_bytes:
        raise ValidationError(f"文件大小不能超过{max_bytes // (1024 * 1024)}M。", code="size")
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(PROOF_MAGIC[content_type]):
        raise ValidationError("文件内容与扩展名不符，请上传真实的PDF、JPG或PNG文件。", code="mismatch")
    if content_type == "application/pdf":
        return content_type, upload
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if JPEG_CONTAINERS.get(image.format, image.format) != FORMATS[suffix]:
                raise ValidationError("文件内容与扩展名不符，请上传真实的PDF、JPG或PNG文件。", code="mismatch")
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError("图片尺寸过大，请压缩后重新上传。", code="pixels")
            image.load()
    except ValidationError:
        raise
    except Exception:
        raise ValidationError("图片文件已损坏或不完整，请重新上传。", code="invalid") from None
    data, extension = upright_image(image)
    return content_type, ContentFile(data, name=f"{PurePosixPath(upload.name).stem[:150]}{extension}")
