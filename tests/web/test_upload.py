"""Reading a multipart upload: its own size limit, the CSRF field inside the body, strict fields, file names."""

from __future__ import annotations

import io

import pytest
from flask import Request
from werkzeug.datastructures import FileStorage
from werkzeug.test import EnvironBuilder, encode_multipart

from functions.errors import BadRequest, Forbidden, PayloadTooLarge, UnsupportedMediaType
from functions.web import csrf, upload
from tests.conftest import SECRET

ISSUED = csrf.issue(Request(EnvironBuilder().get_environ()), SECRET)


def request(body: bytes, content_type: str) -> Request:
    headers = [("Cookie", f"{csrf.COOKIE}={ISSUED.cookie}")]
    environ = EnvironBuilder(method="POST", data=body, headers=headers).get_environ()
    environ["CONTENT_TYPE"] = content_type
    return Request(environ)


def multipart(fields: dict[str, object]) -> Request:
    boundary, body = encode_multipart(fields)
    return request(body, f"multipart/form-data; boundary={boundary}")


def read(req: Request) -> upload.Upload:
    return upload.read_upload(req, SECRET, label="Berkas impor", field="berkas")


def test_fields_and_the_file_are_read_and_the_file_keeps_only_its_name() -> None:
    file = FileStorage(io.BytesIO(b"NIP\n"), "/home/operator/Unduhan/pegawai.csv")

    sent = read(multipart({"csrf": ISSUED.token, "aksi": "pratinjau", "berkas": file}))

    assert sent.fields == {"csrf": ISSUED.token, "aksi": "pratinjau"}
    assert sent.files["berkas"] == upload.UploadedFile("pegawai.csv", b"NIP\n")


def test_a_file_of_exactly_the_limit_passes_and_one_byte_more_is_413() -> None:
    exact = FileStorage(io.BytesIO(b"x" * upload.FILE_MAX_BYTES), "pegawai.csv")
    assert len(read(multipart({"csrf": ISSUED.token, "berkas": exact})).files["berkas"].data) == upload.FILE_MAX_BYTES
    over = FileStorage(io.BytesIO(b"x" * (upload.FILE_MAX_BYTES + 1)), "pegawai.csv")
    with pytest.raises(PayloadTooLarge, match=r"Berkas impor \(isian berkas\) terlalu besar: paling besar 10 MB"):
        read(multipart({"csrf": ISSUED.token, "berkas": over}))


def test_the_csrf_field_is_checked_inside_the_multipart_body() -> None:
    with pytest.raises(Forbidden):
        read(multipart({"aksi": "pratinjau"}))
    with pytest.raises(Forbidden):
        read(multipart({"csrf": "palsu", "aksi": "pratinjau"}))


def test_an_urlencoded_body_is_refused_as_an_unsupported_type() -> None:
    with pytest.raises(UnsupportedMediaType):
        read(request(b"csrf=x", "application/x-www-form-urlencoded"))


@pytest.mark.parametrize(
    "case",
    ["no boundary", "too many parts", "field not utf-8", "nul in a field"],
)
def test_a_malformed_upload_is_refused_with_400(case: str) -> None:
    boundary = "batas"

    def part(name: str, value: bytes) -> bytes:
        return f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"

    if case == "no boundary":
        req = request(b"", "multipart/form-data")
    else:
        parts = {
            "too many parts": b"".join(part(f"f{i}", b"x") for i in range(upload.MAX_PARTS + 1)),
            "field not utf-8": part("aksi", b"pratinjau\xff"),
            "nul in a field": part("aksi", b"prat\x00injau"),
        }[case]
        body = part("csrf", ISSUED.token.encode()) + parts + f"--{boundary}--\r\n".encode()
        req = request(body, f"multipart/form-data; boundary={boundary}")
    with pytest.raises(BadRequest):
        read(req)
