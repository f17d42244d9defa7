"""Turning an uploaded photo into a clean JPEG: the real type checked by content, then only the pixels kept.

The name and the browser's content type say nothing: Pillow reads the bytes, and only JPEG, PNG and WebP are taken.
Every accepted image is decoded and encoded again, so that nothing but pixels survives (no EXIF, no GPS position,
no maker notes, no trailing bytes of another file). The orientation the camera wrote in EXIF is applied to the
pixels first. With ``keep_time`` the capture time (EXIF DateTimeOriginal) is written back, and nothing else.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

ACCEPTED = ("JPEG", "PNG", "WEBP")
MAX_PIXELS = 50_000_000  # a larger image is refused before it is decoded (a decompression bomb)
MAX_SIDE = 2048  # a photo sent without the phone's resize is scaled down to this
THUMB_SIDE = 320
QUALITY = 85
THUMB_QUALITY = 75


class PhotoRefused(ValueError):
    """Why a photo cannot be taken, in Indonesian (lower case: the caller names the photo first)."""


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes  # a JPEG
    width: int
    height: int


def clean(data: bytes, *, max_bytes: int, keep_time: bool = False) -> CleanPhoto:
    """The photo ``data`` as a JPEG holding only its pixels (and the capture time with ``keep_time``)."""
    if len(data) > max_bytes:
        raise PhotoRefused(
            f"berkas terlalu besar ({_mb(len(data))} MB); paling besar {_mb(max_bytes)} MB per foto. Kecilkan "
            "fotonya atau ambil ulang dengan resolusi lebih rendah"
        )
    if not data:
        raise PhotoRefused("berkas kosong; pilih fotonya lagi")
    try:
        with warnings.catch_warnings():
            # Pillow warns about damaged EXIF tags; the EXIF is dropped anyway, and the pixels are checked.
            warnings.simplefilter("ignore")
            pixels, taken = _decoded(data, keep_time)
    except PhotoRefused:
        raise
    except UnidentifiedImageError as err:
        raise PhotoRefused(_not_a_photo()) from err
    except Exception as err:  # any decoder's failure on bytes from a phone (OSError, SyntaxError, struct.error...)
        raise PhotoRefused("gambar rusak atau terpotong (tidak terkirim utuh); ambil atau pilih fotonya lagi") from err
    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    exif = Image.Exif()
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    out = io.BytesIO()
    pixels.save(out, "JPEG", quality=QUALITY, optimize=True, exif=exif.tobytes() if taken else b"")
    return CleanPhoto(out.getvalue(), pixels.width, pixels.height)


def _decoded(data: bytes, keep_time: bool) -> tuple[Image.Image, str | None]:
    """The upright RGB pixels of ``data`` and, with ``keep_time``, its capture time."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format not in ACCEPTED:
            raise PhotoRefused(_not_a_photo())
        if image.width * image.height > MAX_PIXELS:
            raise PhotoRefused(f"resolusi terlalu besar ({image.width} x {image.height} piksel)")
        image.load()
        taken = _taken(image) if keep_time else None
        return _rgb(ImageOps.exif_transpose(image)), taken


def thumbnail(jpeg: bytes) -> bytes:
    """A small JPEG of a stored photo, for the supervisor's review page."""
    with Image.open(io.BytesIO(jpeg)) as image:
        image.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        _rgb(image).save(out, "JPEG", quality=THUMB_QUALITY)
    return out.getvalue()


def _taken(image: Image.Image) -> str | None:
    value = image.getexif().get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
    return value if isinstance(value, str) and len(value) <= 32 else None


def _rgb(image: Image.Image) -> Image.Image:
    """The image as RGB; transparency over white (a JPEG has none)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _not_a_photo() -> str:
    return "berkas bukan foto JPEG, PNG, atau WebP (isi berkasnya yang diperiksa, bukan namanya)"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")
