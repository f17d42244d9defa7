"""Photos with a daily report over HTTP, with real files: cleaned and stored with the rows, refused with messages
naming the activity and the photo (the typed text kept), shown only through the personal links that may see them,
and a body cut off halfway stores nothing."""

from __future__ import annotations

import io
import socket
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from PIL import ExifTags, Image

from functions.runtime import Runtime
from functions.web import csrf
from functions.web.app import create_app
from tests.conftest import HEAD, OTHER, STAFF_A, STAFF_B, SUPERVISOR, token_for
from tests.support.browser import live_server
from tests.support.pages import activity_fields, csrf_of
from tests.support.photos import big_png, multipart, pdf_bytes, phone_jpeg, truncated_jpeg

SID = "f0t0b1d2e3a4c5d6"


@pytest.fixture
def client(runtime: Runtime, city: dict[str, Any]) -> FlaskClient:
    return create_app(runtime).test_client()


def url(runtime: Runtime, nip: str = STAFF_A) -> str:
    return f"/submit_report?t={quote(token_for(runtime.store, nip))}"


def fields(runtime: Runtime, client: FlaskClient, blocks: int = 2, sid: str = SID) -> dict[str, str]:
    page = client.get(url(runtime))
    today = runtime.today()
    form = {"id_kiriman": sid, "aksi": "kirim", "csrf": csrf_of(page.text)}
    for i in range(blocks):
        form.update(activity_fields(i, today, f"{STAFF_A}-{today.year}-{1 + i % 2}"))
    return form


def send(client: FlaskClient, runtime: Runtime, form: dict[str, str], files: list[tuple[str, str, bytes, str]]) -> Any:
    body, content_type = multipart(form, files)
    return client.post(url(runtime), data=body, content_type=content_type)


def bukti(runtime: Runtime) -> list[str]:
    folder = runtime.settings.photo_dir
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_the_form_takes_photos_per_activity(client: FlaskClient, runtime: Runtime) -> None:
    page = client.get(url(runtime)).text
    assert 'enctype="multipart/form-data"' in page
    assert '<input type="file" id="foto-0" name="foto-0" accept="image/*" multiple' in page
    assert '<input type="file" id="foto-1" name="foto-1"' in page
    assert "submit_report?aset=perkecil-foto.js" in page


def test_a_phone_jpeg_with_gps_is_stored_without_it(client: FlaskClient, runtime: Runtime) -> None:
    photos = [("foto-0", "IMG_20261204.jpg", phone_jpeg(seed=s), "image/jpeg") for s in (1, 2)]
    photos.append(("foto-1", "", b"", "application/octet-stream"))  # an input left empty
    answer = send(client, runtime, fields(runtime, client), photos)
    assert answer.status_code == 200, answer.text
    rows = {r["id"]: r for r in runtime.store.records("LaporanHarian")}
    first, second = rows[f"{SID}-1"], rows[f"{SID}-2"]
    names = first["foto"].split()
    assert len(names) == 2 and all(n.startswith(f"{SID}-1-") and n.endswith(".jpg") for n in names)
    assert second["foto"] is None
    assert bukti(runtime) == sorted(names)
    for name in names:
        data = (runtime.settings.photo_dir / name).read_bytes()
        stored = Image.open(io.BytesIO(data))
        assert stored.format == "JPEG" and not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert dict(stored.getexif()) == {} and b"Galaxy" not in data


def test_a_resend_after_a_lost_answer_stores_nothing_twice(client: FlaskClient, runtime: Runtime) -> None:
    form = fields(runtime, client)
    photos = [("foto-0", "a.jpg", phone_jpeg(), "image/jpeg")]
    assert send(client, runtime, form, photos).status_code == 200
    again = send(client, runtime, form, photos)
    assert again.status_code == 200 and "sudah" in again.text
    assert runtime.store.count("LaporanHarian") == 2 and len(bukti(runtime)) == 1


def test_the_same_id_with_another_photo_is_a_conflict_leaving_no_orphan(client: FlaskClient, runtime: Runtime) -> None:
    form = fields(runtime, client)
    assert send(client, runtime, form, [("foto-0", "a.jpg", phone_jpeg(seed=1), "image/jpeg")]).status_code == 200
    stored = bukti(runtime)
    other = send(client, runtime, form, [("foto-0", "a.jpg", phone_jpeg(seed=9), "image/jpeg")])
    assert other.status_code == 409
    assert bukti(runtime) == stored  # the second photo was written, then deleted; the first stays with its row


@pytest.mark.parametrize(
    "photo, words",
    [
        (("dokumen.jpg", pdf_bytes(), "image/jpeg"), "berkas bukan foto JPEG, PNG, atau WebP"),
        (("besar.png", big_png(), "image/png"), "berkas terlalu besar (20,"),
        (("terpotong.jpg", truncated_jpeg(), "image/jpeg"), "gambar rusak atau terpotong"),
    ],
    ids=["pdf-named-jpg", "20-mb", "truncated"],
)
def test_a_bad_photo_is_refused_naming_the_activity_and_the_photo(
    client: FlaskClient, runtime: Runtime, photo: tuple[str, bytes, str], words: str
) -> None:
    form = fields(runtime, client)
    form["kegiatan-1"] = "Memeriksa saluran air di RW 03"
    good = ("foto-1", "baik.jpg", phone_jpeg(), "image/jpeg")
    answer = send(client, runtime, form, [good, ("foto-1", *photo)])
    assert answer.status_code == 400
    assert f"Kegiatan 2, foto 2: {words}" in answer.text.replace("&#39;", "'")
    assert 'href="#foto-1"' in answer.text  # the summary links to the field
    assert "Memeriksa saluran air di RW 03" in answer.text  # what was typed comes back
    assert "pilih fotonya lagi" in answer.text
    assert runtime.store.count("LaporanHarian") == 0 and bukti(runtime) == []


def test_more_than_three_photos_for_one_activity_are_refused(client: FlaskClient, runtime: Runtime) -> None:
    photos = [("foto-0", f"{n}.jpg", phone_jpeg(200, 150, seed=n), "image/jpeg") for n in range(4)]
    answer = send(client, runtime, fields(runtime, client), photos)
    assert answer.status_code == 400 and "Kegiatan 1: paling banyak 3 foto per kegiatan" in answer.text
    assert runtime.store.count("LaporanHarian") == 0 and bukti(runtime) == []


def test_a_photo_on_an_empty_activity_is_refused(client: FlaskClient, runtime: Runtime) -> None:
    form = fields(runtime, client, blocks=1)
    form.update({f"{k}-1": "" for k in ("kegiatan", "kuantitas", "durasi_menit", "bukti_dukung", "kendala")})
    answer = send(client, runtime, form, [("foto-1", "a.jpg", phone_jpeg(), "image/jpeg")])
    assert answer.status_code == 400 and "Kegiatan 2: isi uraian kegiatannya dulu" in answer.text
    assert bukti(runtime) == []


def test_a_body_over_the_upload_limit_is_413_storing_nothing(runtime: Runtime, city: dict[str, Any]) -> None:
    from dataclasses import replace

    small = Runtime(
        settings=replace(runtime.settings, upload_max_bytes=2 * 1024 * 1024, photo_max_bytes=1024 * 1024),
        store=runtime.store,
    )
    client = create_app(small).test_client()
    body, content_type = multipart(
        fields(runtime, client), [("foto-0", "x.png", big_png(3 * 1024 * 1024), "image/png")]
    )
    answer = client.post(url(runtime), data=body, content_type=content_type)
    assert answer.status_code == 413 and "Kiriman terlalu besar" in answer.text
    assert runtime.store.count("LaporanHarian") == 0 and bukti(runtime) == []


def test_a_multipart_body_without_the_form_token_is_refused(client: FlaskClient, runtime: Runtime) -> None:
    form = fields(runtime, client)
    del form["csrf"]
    answer = send(client, runtime, form, [("foto-0", "a.jpg", phone_jpeg(), "image/jpeg")])
    assert answer.status_code == 403 and runtime.store.count("LaporanHarian") == 0 and bukti(runtime) == []


def test_a_multipart_field_with_bad_bytes_names_the_field(client: FlaskClient, runtime: Runtime) -> None:
    form = fields(runtime, client)
    body, content_type = multipart(form, [])
    body = body.replace(form["kegiatan-0"].encode(), b"Rapat \xff\xfe koordinasi")
    answer = client.post(url(runtime), data=body, content_type=content_type)
    assert answer.status_code == 400 and "Kegiatan: berisi karakter yang tidak dapat dibaca" in answer.text
    assert runtime.store.count("LaporanHarian") == 0


def test_an_upload_killed_halfway_leaves_no_orphan(runtime: Runtime, city: dict[str, Any]) -> None:
    with live_server(create_app(runtime)) as base:
        client = create_app(runtime).test_client()
        form = fields(runtime, client)
        cookie = client.get_cookie(csrf.COOKIE)
        assert cookie is not None
        photos = [("foto-0", f"{n}.jpg", phone_jpeg(seed=n), "image/jpeg") for n in range(3)]
        body, content_type = multipart(form, photos)
        host, port = base.removeprefix("http://").split(":")
        head = (
            f"POST {url(runtime)} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nCookie: {cookie.key}={cookie.value}\r\nConnection: close\r\n\r\n"
        )
        with socket.create_connection((host, int(port)), timeout=10) as raw:
            raw.sendall(head.encode() + body[: len(body) // 2])  # half the photos, then the signal is gone
            raw.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := raw.recv(65536):
                answer += chunk
        # The server saw the body end early and refused it whole (if the answer still reaches the phone).
        assert answer.startswith(b"HTTP/1.1 400") and "terputus" in answer.decode("utf-8", "replace")
        # The same submission, sent whole afterwards, is stored once with its photos.
        whole = create_app(runtime).test_client()
        form = fields(runtime, whole)
        assert runtime.store.count("LaporanHarian") == 0 and bukti(runtime) == []
        assert send(whole, runtime, form, photos).status_code == 200
    assert runtime.store.count("LaporanHarian") == 2 and len(bukti(runtime)) == 3


def photo_link(runtime: Runtime, client: FlaskClient, viewer: str, small: bool = False) -> tuple[str, Path]:
    assert (
        send(client, runtime, fields(runtime, client), [("foto-0", "a.jpg", phone_jpeg(), "image/jpeg")]).status_code
        == 200
    )
    name = runtime.store.records("LaporanHarian")[0]["foto"]
    day: date = runtime.today()
    query = f"t={quote(token_for(runtime.store, viewer))}&foto={name}&tanggal={day.isoformat()}"
    return f"/report_photo?{query}" + ("&ukuran=kecil" if small else ""), runtime.settings.photo_dir / name


@pytest.mark.parametrize("viewer", [STAFF_A, SUPERVISOR, HEAD])
def test_the_reporter_their_supervisor_and_unit_head_see_the_photo(
    client: FlaskClient, runtime: Runtime, viewer: str
) -> None:
    link, path = photo_link(runtime, client, viewer)
    answer = client.get(link)
    assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
    assert answer.data == path.read_bytes()
    assert answer.headers["Cache-Control"] == "private, max-age=86400"
    thumb = client.get(link + "&ukuran=kecil")
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.data)).size) == 320


@pytest.mark.parametrize("viewer", [STAFF_B, OTHER])
def test_nobody_else_sees_the_photo(client: FlaskClient, runtime: Runtime, viewer: str) -> None:
    link, _path = photo_link(runtime, client, viewer)
    answer = client.get(link)
    assert answer.status_code == 403 and "hanya dapat dilihat" in answer.text
    assert client.get(link.replace("t=", "t=x")).status_code == 403


@pytest.mark.parametrize(
    "change", [("foto=", "foto=zz"), ("tanggal=", "tanggal=1999"), ("tanggal=", "tanggal=x"), ("-1-1-", "-1-2-")]
)
def test_a_wrong_photo_address_is_4xx(client: FlaskClient, runtime: Runtime, change: tuple[str, str]) -> None:
    link, _path = photo_link(runtime, client, STAFF_A)
    answer = client.get(link.replace(*change, 1))
    assert answer.status_code in (400, 404) and "foto" in answer.text.lower()


def test_the_review_page_shows_thumbnails(client: FlaskClient, runtime: Runtime) -> None:
    link, _path = photo_link(runtime, client, SUPERVISOR, small=True)
    page = client.get(f"/review_reports?t={quote(token_for(runtime.store, SUPERVISOR))}").text
    thumb = link.replace("&", "&amp;")
    assert f'src="{thumb.lstrip("/")}"' in page
    assert 'alt="Foto bukti 1 kegiatan Budi Santoso' in page


def test_the_script_is_served_as_a_file(client: FlaskClient) -> None:
    answer = client.get("/submit_report?aset=perkecil-foto.js")
    assert answer.status_code == 200 and answer.mimetype == "text/javascript"
    assert "DataTransfer" in answer.text and "toBlob" in answer.text
    assert client.get("/submit_report?aset=../../main.py").status_code == 404


def test_adding_an_activity_keeps_the_text_and_asks_for_the_photos_again(client: FlaskClient, runtime: Runtime) -> None:
    form = {**fields(runtime, client), "aksi": "tambah"}
    answer = send(client, runtime, form, [("foto-0", "a.jpg", phone_jpeg(), "image/jpeg")])
    assert answer.status_code == 200 and "pilih fotonya lagi" in answer.text
    assert 'id="foto-2"' in answer.text and "Melayani pembuatan surat pengantar nomor 1" in answer.text
    assert runtime.store.count("LaporanHarian") == 0 and bukti(runtime) == []


def test_the_konfigurasi_switch_keeps_only_the_capture_time(client: FlaskClient, runtime: Runtime) -> None:
    from tests.support.photos import TAKEN

    runtime.store.upsert("Konfigurasi", [{"kunci": "foto_simpan_waktu_ambil", "nilai": "1"}])
    answer = send(client, runtime, fields(runtime, client), [("foto-0", "a.jpg", phone_jpeg(), "image/jpeg")])
    assert answer.status_code == 200
    exif = Image.open(io.BytesIO((runtime.settings.photo_dir / bukti(runtime)[0]).read_bytes())).getexif()
    assert exif.get_ifd(ExifTags.IFD.Exif) == {ExifTags.Base.DateTimeOriginal: TAKEN}
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo) and ExifTags.Base.Make not in exif


def test_with_a_bucket_photos_go_to_cloud_storage_and_come_back_through_the_app(
    runtime: Runtime, city: dict[str, Any], storage_server: Any
) -> None:
    from dataclasses import replace

    storage_server.create_bucket("bukti-kota")
    settings = replace(runtime.settings, photo_bucket="bukti-kota", storage_api_url=storage_server.url)
    client = create_app(Runtime(settings=settings, store=runtime.store)).test_client()
    photos = [("foto-0", f"{n}.jpg", phone_jpeg(seed=n), "image/jpeg") for n in range(2)]
    assert send(client, runtime, fields(runtime, client), photos).status_code == 200
    names = runtime.store.records("LaporanHarian", where={"id": f"{SID}-1"})[0]["foto"].split()
    assert storage_server.object_names("bukti-kota") == sorted(names) and bukti(runtime) == []
    link = f"/report_photo?t={quote(token_for(runtime.store, SUPERVISOR))}&foto={names[0]}"
    answer = client.get(f"{link}&tanggal={runtime.today().isoformat()}")
    assert answer.status_code == 200 and Image.open(io.BytesIO(answer.data)).format == "JPEG"
    # A conflicting resend writes its photo to the bucket, then deletes it: the bucket holds what the rows list.
    other = send(client, runtime, fields(runtime, client), [("foto-0", "x.jpg", phone_jpeg(seed=5), "image/jpeg")])
    assert other.status_code == 409 and storage_server.object_names("bukti-kota") == sorted(names)
