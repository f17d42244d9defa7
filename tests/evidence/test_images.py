"""Cleaning photos with real files: only pixels kept, the type read from the content, refusals in Indonesian."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from functions.evidence import images
from tests.support.photos import TAKEN, big_png, pdf_bytes, phone_jpeg, truncated_jpeg

LIMIT = 5 * 1024 * 1024


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_phone_jpeg_loses_its_exif_gps_included() -> None:
    original = phone_jpeg()
    assert opened(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file does carry a position
    clean = images.clean(original, max_bytes=LIMIT)
    result = opened(clean.data)
    assert result.format == "JPEG" and (result.width, result.height) == (1200, 900)
    assert dict(result.getexif()) == {} and "exif" not in result.info
    assert b"Galaxy" not in clean.data and b"Samsung" not in clean.data


def test_keeping_the_capture_time_keeps_nothing_else() -> None:
    clean = images.clean(phone_jpeg(), max_bytes=LIMIT, keep_time=True)
    exif = opened(clean.data).getexif()
    assert exif.get_ifd(ExifTags.IFD.Exif) == {ExifTags.Base.DateTimeOriginal: TAKEN}
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo) and ExifTags.Base.Model not in exif


def test_the_orientation_is_applied_to_the_pixels() -> None:
    # Orientation 6: the camera was turned; the stored pixels must stand upright (portrait) without the tag.
    result = opened(images.clean(phone_jpeg(1200, 900, orientation=6), max_bytes=LIMIT).data)
    assert (result.width, result.height) == (900, 1200)
    assert ExifTags.Base.Orientation not in result.getexif()
    # The blue block of the top left corner is now at the top right.
    red, _green, blue = result.getpixel((900 - 20, 20))  # type: ignore[misc]
    assert blue > 150 and red < 80


def test_a_png_with_transparency_becomes_a_jpeg_on_white() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (0, 0, 0, 0)).save(out, "PNG")
    result = opened(images.clean(out.getvalue(), max_bytes=LIMIT).data)
    assert result.format == "JPEG" and result.getpixel((5, 5)) == (255, 255, 255)


def test_a_webp_is_taken() -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(out, "WEBP")
    assert opened(images.clean(out.getvalue(), max_bytes=LIMIT).data).size == (64, 48)


def test_a_large_photo_is_scaled_down() -> None:
    result = opened(images.clean(phone_jpeg(4000, 3000), max_bytes=LIMIT).data)
    assert (result.width, result.height) == (images.MAX_SIDE, images.MAX_SIDE * 3 // 4)


@pytest.mark.parametrize(
    "data, words",
    [
        (pdf_bytes(), "bukan foto JPEG, PNG, atau WebP"),
        (truncated_jpeg(), "rusak atau terpotong"),
        (b"", "kosong"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "bukan foto JPEG, PNG, atau WebP"),
    ],
    ids=["pdf", "truncated", "empty", "gif"],
)
def test_what_is_no_usable_photo_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(images.PhotoRefused, match=words):
        images.clean(data, max_bytes=LIMIT)


def test_a_gif_of_real_pixels_is_refused_by_content() -> None:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    with pytest.raises(images.PhotoRefused, match="bukan foto"):
        images.clean(out.getvalue(), max_bytes=LIMIT)


def test_a_20_mb_image_is_refused_by_its_size() -> None:
    data = big_png()
    assert opened(data).format == "PNG" and len(data) > 20 * 1024 * 1024
    with pytest.raises(images.PhotoRefused, match=r"terlalu besar \(20,\d MB\); paling besar 5,0 MB"):
        images.clean(data, max_bytes=LIMIT)


def test_cleaning_is_deterministic() -> None:
    # A resend of the same photo must give the same bytes, so the same name: nothing is stored twice.
    assert images.clean(phone_jpeg(), max_bytes=LIMIT).data == images.clean(phone_jpeg(), max_bytes=LIMIT).data


def test_thumbnail() -> None:
    small = opened(images.thumbnail(images.clean(phone_jpeg(), max_bytes=LIMIT).data))
    assert max(small.size) == images.THUMB_SIDE


def _samples() -> list[bytes]:
    out = []
    for kind in ("PNG", "WEBP"):
        buffer = io.BytesIO()
        Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, kind)
        out.append(buffer.getvalue())
    return [phone_jpeg(64, 48), *out]


SAMPLES = _samples()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sample=st.sampled_from(SAMPLES),
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(min_value=0, max_value=4000), st.integers(0, 255)), max_size=8),
)
def test_any_damaged_photo_is_cleaned_or_refused_never_an_error(
    sample: bytes, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(sample[: max(1, len(sample) - cut)])
    for where, value in flips:
        data[where % len(data)] = value
    try:
        result = images.clean(bytes(data), max_bytes=LIMIT)
    except images.PhotoRefused:
        return
    assert opened(result.data).format == "JPEG"


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_cleaned_or_refused(data: bytes) -> None:
    with contextlib.suppress(images.PhotoRefused):
        assert opened(images.clean(data, max_bytes=LIMIT).data).format == "JPEG"
