"""The business-licence image (营业执照): checked by decoding it, never by its name alone,
then re-encoded so that nothing but pixels is kept (EXIF, trailing bytes and any other
payload are dropped)."""

import io
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

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
    if image.format != FORMATS[suffix]:
        raise ValidationError("文件内容与扩展名不符，请上传真实的jpg/png图片。", code="mismatch")
    return ContentFile(_reencode(image), name=f"licence{'.jpg' if image.format == 'JPEG' else '.png'}")


def _reencode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    if image.format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=90)
    else:
        image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


PROOF_SUFFIXES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
PROOF_MAGIC = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}
PROOF_MAX_BYTES = 10 * 1024 * 1024
OWNER_QUOTA_BYTES = 500 * 1024 * 1024  # per enterprise (one account each)


def check_proof(upload, max_bytes=PROOF_MAX_BYTES) -> str:
    """A proof file (PDF, JPG or PNG), judged by its content; returns its content type."""
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
    if content_type != "application/pdf":
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(upload) as image:
                    if image.width * image.height > MAX_PIXELS:
                        raise ValidationError("图片尺寸过大，请压缩后重新上传。", code="pixels")
                    image.load()
        except ValidationError:
            raise
        except Exception:
            raise ValidationError("图片文件已损坏或不完整，请重新上传。", code="invalid") from None
        finally:
            upload.seek(0)
    return content_type
