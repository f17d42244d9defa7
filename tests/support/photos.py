"""Real files for the photo tests: a phone's JPEG with EXIF (GPS, camera, capture time, orientation), a PDF named
.jpg, a 20 MB image, a truncated JPEG; and a multipart body as a browser sends the report form with photos."""

from __future__ import annotations

import io
import os
import random
import uuid

from PIL import ExifTags, Image

GPS = {  # Semarang, Simpang Lima
    ExifTags.GPS.GPSLatitudeRef: "S",
    ExifTags.GPS.GPSLatitude: (6.0, 59.0, 24.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (110.0, 25.0, 12.0),
}
TAKEN = "2026:12:04 09:15:30"


def phone_jpeg(
    width: int = 1200, height: int = 900, *, orientation: int = 1, seed: int = 1, quality: int = 90
) -> bytes:
    """A photo as a phone writes it: a picture with some detail, EXIF with the GPS position, the camera, the
    capture time and an orientation tag."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (rng.randrange(256), 120, 80))
    pixels = image.load()
    assert pixels is not None
    for _ in range(width * height // 50):
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    image.paste((20, 40, 200), (0, 0, width // 4, height // 8))  # a blue block in the top left corner
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "Galaxy A15"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = TAKEN
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A small, valid PDF (it would be named foto.jpg)."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def big_png(size: int = 20 * 1024 * 1024) -> bytes:
    """A real PNG of noise, a little over ``size`` bytes (noise does not compress)."""
    side = int((size / 3) ** 0.5) + 8
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG", compress_level=0)
    return out.getvalue()


def truncated_jpeg() -> bytes:
    """A phone JPEG cut off after 60% of its bytes, as an interrupted transfer leaves it."""
    whole = phone_jpeg(seed=7)
    return whole[: len(whole) * 6 // 10]


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body of ``fields`` and ``files`` (field, file name, bytes, content type), and its
    Content-Type header."""
    boundary = f"----kinerja{uuid.uuid4().hex}"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode("utf-8") + b"\r\n")
    for name, filename, data, content_type in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        out.write(f"{head}Content-Type: {content_type}\r\n\r\n".encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"
