"""The Sheets API test server driven by the real gspread over HTTP: behaviour, Google's limits, injected faults."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import gspread
import pytest
import requests
from gspread.exceptions import APIError
from gspread.utils import DateTimeOption, Dimension, InsertDataOption, ValidationConditionType, ValueRenderOption

from tests.sheets_server import Clock, Limits, SheetsServer, running_server
from tests.support import sheets_client
from tests.support.servers import free_port, python_bin, running

START = 1_700_000_010.0  # a frozen clock, 10 s into a minute: only advance_clock() moves it


@pytest.fixture
def server() -> Iterator[SheetsServer]:
    with running_server(clock=Clock(start=START)) as running_:
        yield running_


@pytest.fixture
def gc(server: SheetsServer) -> Iterator[gspread.Client]:
    client = sheets_client.client(server.url)
    yield client
    client.http_client.session.close()


@pytest.fixture
def ws(gc: gspread.Client) -> gspread.Worksheet:
    return gc.create("Uji").sheet1


def error_of(excinfo: pytest.ExceptionInfo[APIError]) -> dict[str, Any]:
    return excinfo.value.response.json()["error"]


# -- spreadsheets, worksheets, values ------------------------------------------------------------------------------


def test_create_then_open_by_title_and_key(gc: gspread.Client) -> None:
    created = gc.create("Laporan Harian 2026-11")
    gc.create("Lain")
    assert gc.open("Laporan Harian 2026-11").id == created.id
    assert gc.open_by_key(created.id).title == "Laporan Harian 2026-11"
    assert [f["name"] for f in gc.list_spreadsheet_files("Lain")] == ["Lain"]
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open("Tidak ada")


def test_deleted_spreadsheet_is_not_found(gc: gspread.Client) -> None:
    sh = gc.create("Sementara")
    gc.del_spreadsheet(sh.id)
    with pytest.raises(gspread.SpreadsheetNotFound):
        gc.open_by_key(sh.id)


def test_add_and_delete_worksheet(gc: gspread.Client) -> None:
    sh = gc.create("Uji")
    added = sh.add_worksheet("LaporanHarian", rows=100, cols=12)
    assert [w.title for w in sh.worksheets()] == ["Sheet1", "LaporanHarian"]
    assert (added.row_count, added.col_count) == (100, 12)
    with pytest.raises(APIError) as excinfo:
        sh.add_worksheet("laporanharian", rows=1, cols=1)
    assert "already exists" in error_of(excinfo)["message"]
    sh.del_worksheet(added)
    assert [w.title for w in sh.worksheets()] == ["Sheet1"]


def test_append_rows_with_table_range_writes_after_the_table(ws: gspread.Worksheet) -> None:
    ws.update([["id", "nama", "catatan"]], "A1")
    first = ws.append_rows([["1", "Budi", ""], ["2", "Dewi", "=1+1"]], table_range="A1:Z1")
    assert first["tableRange"] == "Sheet1!A1:C1"
    assert first["updates"]["updatedRange"] == "Sheet1!A2:C3"
    second = ws.append_rows([["3", "Agus", "x"]], table_range="A1:Z1", include_values_in_response=True)
    assert second["tableRange"] == "Sheet1!A1:C3"
    assert second["updates"]["updatedRange"] == "Sheet1!A4:C4"
    assert second["updates"]["updatedData"]["values"] == [["3", "Agus", "x"]]
    assert ws.get_all_values() == [
        ["id", "nama", "catatan"],
        ["1", "Budi", ""],
        ["2", "Dewi", "=1+1"],
        ["3", "Agus", "x"],
    ]


def test_append_grows_the_grid_and_insert_rows_inserts(gc: gspread.Client) -> None:
    sh = gc.create("Uji")
    ws = sh.add_worksheet("Kecil", rows=2, cols=2)
    ws.update([["a", "b"], ["c", "d"]], "A1")
    ws.append_rows([["e", "f", "g"]], table_range="A1:B1")
    ws = sh.worksheet("Kecil")
    assert (ws.row_count, ws.col_count) == (3, 3)
    ws.update([["bawah"]], "A3:A3")  # overwrite, then add a stray value below the table
    ws.append_rows([["baru"]], table_range="A1", insert_data_option=InsertDataOption.insert_rows)
    ws = sh.worksheet("Kecil")
    assert ws.row_count == 4
    assert ws.col_values(1) == ["a", "c", "bawah", "baru"]


def test_raw_keeps_strings_user_entered_parses(ws: gspread.Worksheet) -> None:
    ws.update([["=SUM(A1:A2)", "007", "TRUE", "1,234.5", "2026-11-30"]], "A1", raw=True)
    ws.update([["=SUM(A1:A2)", "007", "TRUE", "1,234.5", "2026-11-30"]], "A2", raw=False)
    unformatted = ws.get("A1:E2", value_render_option=ValueRenderOption.unformatted)
    assert unformatted[0] == ["=SUM(A1:A2)", "007", "TRUE", "1,234.5", "2026-11-30"]
    assert unformatted[1] == ["=SUM(A1:A2)", 7, True, 1234.5, 46356]
    assert ws.get("A2:E2")[0] == ["=SUM(A1:A2)", "7", "TRUE", "1234.5", "2026-11-30"]
    dates = ws.get(
        "E2", value_render_option=ValueRenderOption.unformatted, date_time_render_option=DateTimeOption.formatted_string
    )
    assert dates[0] == ["2026-11-30"]


def test_get_all_records_and_trimming(ws: gspread.Worksheet) -> None:
    ws.update([["nip", "nama", "skor"], ["1", "Budi", 90], ["", "", ""], ["3", "Agus", 70.5]], "A1")
    assert ws.get_all_values() == [["nip", "nama", "skor"], ["1", "Budi", "90"], ["", "", ""], ["3", "Agus", "70.5"]]
    assert ws.spreadsheet.values_get("Sheet1!A1:D4")["range"] == "Sheet1!A1:D4"
    assert ws.get_values("A1:D4", pad_values=False) == [
        ["nip", "nama", "skor"],
        ["1", "Budi", "90"],
        [],
        ["3", "Agus", "70.5"],
    ]
    records = ws.get_all_records(value_render_option=ValueRenderOption.unformatted)
    assert records[0] == {"nip": 1, "nama": "Budi", "skor": 90}
    assert ws.get("A:A", major_dimension=Dimension.cols) == [["nip", "1", "", "3"]]


def test_batch_get_update_clear(ws: gspread.Worksheet) -> None:
    ws.batch_update([{"range": "A1:B1", "values": [["a", "b"]]}, {"range": "D4", "values": [["d"]]}])
    assert ws.batch_get(["A1:B1", "D4", "F9"]) == [[["a", "b"]], [["d"]], []]
    ws.batch_clear(["A1"])
    assert ws.get_all_values() == [["", "b", "", ""], ["", "", "", ""], ["", "", "", ""], ["", "", "", "d"]]
    assert ws.clear()["clearedRange"] == "Sheet1!A1:Z1000"
    assert "values" not in ws.spreadsheet.values_get("Sheet1")


def test_update_outside_range_or_grid_is_refused(ws: gspread.Worksheet) -> None:
    with pytest.raises(APIError) as excinfo:
        ws.update([["a", "b", "c"]], "A1:B1")
    assert (
        error_of(excinfo)["message"]
        == "Requested writing within range ['Sheet1'!A1:B1], but tried writing to column [C]"
    )
    with pytest.raises(APIError) as excinfo:
        ws.update([["a"]], "A1001")
    assert error_of(excinfo)["message"] == (
        "Range ('Sheet1'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    )


def test_unknown_sheet_in_range_cannot_be_parsed(ws: gspread.Worksheet) -> None:
    with pytest.raises(APIError) as excinfo:
        ws.spreadsheet.values_get("'Tidak Ada'!A1:B2")
    assert excinfo.value.code == 400
    assert error_of(excinfo) == {
        "code": 400,
        "message": "Unable to parse range: 'Tidak Ada'!A1:B2",
        "status": "INVALID_ARGUMENT",
    }


@pytest.mark.parametrize("text", ["A1:B2:C3", "!A1", "'Sheet1", "A0", "1A", "Sheet1!"])
def test_malformed_ranges_cannot_be_parsed(ws: gspread.Worksheet, text: str) -> None:
    with pytest.raises(APIError) as excinfo:
        ws.spreadsheet.values_get(text)
    assert error_of(excinfo)["message"] == f"Unable to parse range: {text}"


def test_quoted_sheet_names_and_open_ranges(gc: gspread.Client) -> None:
    sh = gc.create("Uji")
    ws = sh.add_worksheet("Skor O'Brien", rows=10, cols=4)
    ws.update([[1, 2], [3, 4]], "B2")
    assert sh.values_get("'Skor O''Brien'!B:B")["range"] == "'Skor O''Brien'!B1:B10"
    assert sh.values_get("'Skor O''Brien'!2:3")["values"] == [["", "1", "2"], ["", "3", "4"]]
    assert sh.values_get("'Skor O''Brien'!B3:C")["range"] == "'Skor O''Brien'!B3:C10"


def test_freeze_resize_and_formatting_are_kept(gc: gspread.Client) -> None:
    sh = gc.create("Uji")
    ws = sh.sheet1
    ws.update([["a"], ["b"], ["c"]], "A1")
    ws.freeze(rows=1)
    ws.resize(rows=2, cols=5)
    ws.format("A1:E1", {"textFormat": {"bold": True}})
    ws.add_validation("B2:B2", ValidationConditionType.one_of_list, ["Ya", "Tidak"], showCustomUi=True)
    body = {"requests": [
        {"updateDimensionProperties": {
            "range": {"sheetId": ws.id, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
            "properties": {"pixelSize": 240}, "fields": "pixelSize"}},
        {"addConditionalFormatRule": {"rule": {
            "ranges": [{"sheetId": ws.id, "startColumnIndex": 1, "endColumnIndex": 2}],
            "booleanRule": {"condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "Tidak"}]},
                            "format": {"backgroundColor": {"red": 1}}}}, "index": 0}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": ws.id, "endRowIndex": 1}, "warningOnly": True}}},
        {"setBasicFilter": {"filter": {"range": {"sheetId": ws.id}}}},
    ]}  # fmt: skip
    replies = sh.batch_update(body)["replies"]
    assert replies[:2] == [{}, {}] and "protectedRangeId" in replies[2]["addProtectedRange"]["protectedRange"]
    meta = sh.fetch_sheet_metadata({"includeGridData": "true", "ranges": "Sheet1!A1:B2"})["sheets"][0]
    assert meta["properties"]["gridProperties"] == {"rowCount": 2, "columnCount": 5, "frozenRowCount": 1}
    assert meta["data"][0]["columnMetadata"] == [{"pixelSize": 240}, {"pixelSize": 100}]
    first, second = meta["data"][0]["rowData"]
    assert first["values"][0]["userEnteredFormat"] == {"textFormat": {"bold": True}}
    assert first["values"][0]["formattedValue"] == "a"
    assert second["values"][1]["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"
    assert meta["conditionalFormats"][0]["ranges"] == [{"startColumnIndex": 1, "endColumnIndex": 2}]
    assert meta["protectedRanges"][0]["warningOnly"] is True
    assert ws.get_all_values() == [["a"], ["b"]]  # the resize dropped row 3


def test_spreadsheets_create_notes_and_field_masks(server: SheetsServer, gc: gspread.Client) -> None:
    body = {
        "properties": {"title": "Dibuat lewat Sheets API", "timeZone": "Asia/Jakarta"},
        "sheets": [{"properties": {"title": "Pegawai", "gridProperties": {"rowCount": 5, "columnCount": 3}}}],
    }
    created = gc.http_client.request("post", gspread.urls.SPREADSHEETS_API_V4_BASE_URL, json=body).json()
    assert created["properties"]["timeZone"] == "Asia/Jakarta"
    assert created["sheets"][0]["properties"]["gridProperties"] == {"rowCount": 5, "columnCount": 3}
    sh = gc.open_by_key(created["spreadsheetId"])
    ws = sh.worksheet("Pegawai")
    ws.insert_note("B2", "diisi atasan")
    assert ws.get_notes() == [[], ["", "diisi atasan"]]
    masked = sh.fetch_sheet_metadata({"fields": "properties.title,sheets(properties(title,gridProperties/rowCount))"})
    assert masked == {
        "properties": {"title": "Dibuat lewat Sheets API"},
        "sheets": [{"properties": {"title": "Pegawai", "gridProperties": {"rowCount": 5}}}],
    }
    sh.batch_update({"requests": [{"appendDimension": {"sheetId": ws.id, "dimension": "ROWS", "length": 5}}]})
    ws.update([["a", "b"], ["c"]], "A8", major_dimension=Dimension.cols)
    assert ws.get("A8:B9") == [["a", "c"], ["b"]]


def test_insert_and_delete_rows_move_values(ws: gspread.Worksheet) -> None:
    ws.update([["1"], ["2"], ["3"]], "A1")
    ws.insert_rows([["baru"]], row=2)
    assert ws.col_values(1) == ["1", "baru", "2", "3"]
    ws.delete_rows(1, 2)
    assert ws.col_values(1) == ["2", "3"]
    assert ws.spreadsheet.worksheet("Sheet1").row_count == 999


def test_failing_batch_update_changes_nothing(gc: gspread.Client) -> None:
    sh = gc.create("Uji")
    with pytest.raises(APIError) as excinfo:
        sh.batch_update(
            {"requests": [{"addSheet": {"properties": {"title": "Baru"}}}, {"deleteSheet": {"sheetId": 99}}]}
        )
    assert error_of(excinfo)["message"] == "Invalid requests[1].deleteSheet: No sheet with id: 99"
    assert [w.title for w in sh.worksheets()] == ["Sheet1"]


def test_share_list_and_remove_permission(gc: gspread.Client) -> None:
    sh = gc.create("Uji")
    sh.share("atasan@semarangkota.go.id", perm_type="user", role="writer", notify=False)
    emails = {p.get("emailAddress"): p for p in sh.list_permissions()}
    assert emails["atasan@semarangkota.go.id"]["role"] == "writer"
    sh.remove_permissions("atasan@semarangkota.go.id")
    assert "atasan@semarangkota.go.id" not in {p.get("emailAddress") for p in sh.list_permissions()}


# -- Google's limits ---------------------------------------------------------------------------------------------


def test_61st_write_in_a_minute_is_refused_then_next_minute_is_fine(
    server: SheetsServer, ws: gspread.Worksheet
) -> None:
    before = server.control.stats()["per_minute"]
    used = sum(e["count"] for e in before if e["kind"] == "write")
    for n in range(60 - used):
        ws.update([[n]], "A1")
    with pytest.raises(APIError) as excinfo:
        ws.update([["satu lagi"]], "A1")
    error = error_of(excinfo)
    assert excinfo.value.code == 429 and error["status"] == "RESOURCE_EXHAUSTED"
    assert error["message"].startswith(
        "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service "
        "'sheets.googleapis.com'"
    )
    assert error["details"][0]["reason"] == "RATE_LIMIT_EXCEEDED"
    assert error["details"][0]["metadata"]["quota_limit"] == "WriteRequestsPerMinutePerUser"
    ws.get_all_values()  # reads have their own quota
    server.control.advance_clock(60)
    ws.update([["menit baru"]], "A1")
    stats = server.control.stats()
    assert stats["max_per_minute_per_user"]["write"] == 60
    assert stats["refused"]["write"] == 1


def test_a_batch_counts_once_and_users_have_their_own_quota(server: SheetsServer, ws: gspread.Worksheet) -> None:
    server.control.set_limits(write_per_minute_per_user=3)
    server.control.advance_clock(60)
    ws.batch_update([{"range": f"A{n}", "values": [[n]]} for n in range(1, 101)])
    ws.append_rows([[n] for n in range(100)])
    ws.update([["x"]], "B1")
    with pytest.raises(APIError):
        ws.update([["y"]], "B1")
    other = sheets_client.client(server.url, token="akun-lain")
    other.open_by_key(ws.spreadsheet_id).sheet1.update([["z"]], "B1")
    other.http_client.session.close()
    assert ws.acell("B1").value == "z"


def test_rolling_window_counts_any_60_seconds(server: SheetsServer, ws: gspread.Worksheet) -> None:
    server.control.advance_clock(60)
    server.control.set_limits(write_per_minute_per_user=3)
    for n in range(3):
        ws.update([[n]], "A1")
    server.control.advance_clock(55)  # a new clock minute, but only 55 s later
    assert server.control.stats()["max_in_any_60_seconds_per_user"]["write"] == 3
    server.control.set_limits(rolling_window=True)
    with pytest.raises(APIError):
        ws.update([["terlalu cepat"]], "A1")
    server.control.advance_clock(5)
    ws.update([["tepat waktu"]], "A1")


def test_project_quota_spans_users(server: SheetsServer, ws: gspread.Worksheet) -> None:
    server.control.set_limits(read_per_minute_per_project=2)
    server.control.advance_clock(60)
    ws.get_all_values()
    ws.get_all_values()
    with pytest.raises(APIError) as excinfo:
        ws.get_all_values()
    assert "'Read requests per minute' of service" in error_of(excinfo)["message"]


def test_cell_limit_per_spreadsheet(gc: gspread.Client) -> None:
    sh = gc.create("Uji")
    sh.add_worksheet("Besar", rows=383_615, cols=26)  # 9,999,990 cells with Sheet1's 26,000
    with pytest.raises(APIError) as excinfo:
        sh.add_worksheet("Lebih", rows=1, cols=11)
    assert error_of(excinfo) == {
        "code": 400,
        "message": "Invalid requests[0].addSheet: This action would increase the number of cells in the workbook "
        "above the limit of 10000000 cells.",
        "status": "INVALID_ARGUMENT",
    }
    sh.add_worksheet("Pas", rows=1, cols=10)  # exactly 10,000,000
    with pytest.raises(APIError) as excinfo:
        sh.sheet1.append_rows([["x"]] * 1001)  # would add a row to Sheet1
    assert error_of(excinfo)["message"] == (
        "This action would increase the number of cells in the workbook above the limit of 10000000 cells."
    )
    sh.sheet1.append_rows([["x"]] * 1000)  # fits the grid as it is


def test_character_limit_per_cell(ws: gspread.Worksheet) -> None:
    ws.update([["x" * 50_000]], "A1")
    with pytest.raises(APIError) as excinfo:
        ws.append_row(["x" * 50_001])
    assert error_of(excinfo)["message"] == (
        "Your input contains more than the maximum of 50000 characters in a single cell."
    )


def test_unknown_spreadsheet_is_404(gc: gspread.Client) -> None:
    with pytest.raises(APIError) as excinfo:
        gc.http_client.fetch_sheet_metadata("tidak-ada")
    assert error_of(excinfo) == {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}


# -- faults, delay, authentication, control ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "google_status"), [(429, "RESOURCE_EXHAUSTED"), (500, "INTERNAL"), (503, "UNAVAILABLE")]
)
def test_injected_faults_then_recovery(
    server: SheetsServer, ws: gspread.Worksheet, status: int, google_status: str
) -> None:
    server.control.fail_next(2, status=status, kind="write")
    for _ in range(2):
        with pytest.raises(APIError) as excinfo:
            ws.update([["a"]], "A1")
        assert excinfo.value.code == status and error_of(excinfo)["status"] == google_status
    ws.get_all_values()  # reads were not targeted
    ws.update([["a"]], "A1")
    assert ws.acell("A1").value == "a"


def test_gspread_backoff_client_rides_out_injected_faults(
    server: SheetsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(gspread.http_client.time, "sleep", waits.append)
    client = sheets_client.client(server.url, http_client=gspread.BackOffHTTPClient)
    sheet = client.create("Uji").sheet1
    server.control.fail_next(2, status=429, kind="write")
    sheet.update([["tetap masuk"]], "A1")
    assert sheet.acell("A1").value == "tetap masuk"
    assert len(waits) == 2 and server.control.stats()["requests"]["write"] == 1
    client.http_client.session.close()


def test_delay_makes_a_short_timeout_expire(server: SheetsServer, gc: gspread.Client) -> None:
    sh = gc.create("Uji")
    server.control.set_delay(0.5)
    gc.set_timeout(0.1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        sh.sheet1.get_all_values()
    gc.set_timeout(None)
    server.control.set_delay(0)
    assert sh.sheet1.get_all_values() == [[]]


def test_requests_without_token_are_unauthenticated(server: SheetsServer, gc: gspread.Client) -> None:
    sh = gc.create("Uji")
    anonymous = sheets_client.client(server.url, token=None)
    with pytest.raises(APIError) as excinfo:
        anonymous.open_by_key(sh.id)
    error = error_of(excinfo)
    assert excinfo.value.code == 401 and error["status"] == "UNAUTHENTICATED"
    assert error["details"][0]["reason"] == "CREDENTIALS_MISSING"
    assert excinfo.value.response.headers["WWW-Authenticate"].startswith("Bearer")
    with pytest.raises(APIError) as excinfo:
        anonymous.create("Tanpa token")
    assert excinfo.value.code == 401 and error_of(excinfo)["errors"][0]["reason"] == "required"
    anonymous.http_client.session.close()


def test_control_over_http(server: SheetsServer, ws: gspread.Worksheet) -> None:
    def post(commands: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            server.url + "/_control", json.dumps(commands).encode(), {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)

    stats = post({"fail_next": {"count": 1, "status": 503}})
    assert stats["pending_faults"] == [{"status": 503, "remaining": 1, "kind": None}]
    with pytest.raises(APIError):
        ws.get_all_values()
    stats = post({"advance_clock": 60, "limits": {"write_per_minute_per_user": 1}})
    assert stats["limits"]["write_per_minute_per_user"] == 1
    assert stats["requests"]["read"] >= 1 and stats["refused"]["read"] == 0 and stats["per_minute"]
    assert post({"reset": True})["spreadsheets"] == 0


def test_concurrent_appends_lose_nothing(server: SheetsServer, ws: gspread.Worksheet) -> None:
    server.control.set_limits(write_per_minute_per_user=1000, write_per_minute_per_project=1000)
    ws.update([["id", "thread"]], "A1")

    def worker(n: int) -> None:
        client = sheets_client.client(server.url)
        sheet = client.open_by_key(ws.spreadsheet_id).sheet1
        for i in range(15):
            sheet.append_rows([[f"{n}-{i}", n]], table_range="A1:Z1")
        client.http_client.session.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [row[0] for row in ws.get_all_values()[1:]]
    assert sorted(ids) == sorted(f"{n}-{i}" for n in range(6) for i in range(15))


def test_standalone_server_prints_its_url_and_honours_sheets_port() -> None:
    port = free_port()
    command = [python_bin("python"), "-m", "tests.sheets_server", "--write-per-minute", "5"]
    with running(command, {"SHEETS_PORT": str(port)}, f"http://127.0.0.1:{port}/_control") as process:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_control", timeout=10) as answer:
            assert json.load(answer)["limits"]["write_per_minute_per_user"] == 5
        gc = sheets_client.client(f"http://127.0.0.1:{port}")
        assert gc.create("Mandiri").sheet1.title == "Sheet1"
        gc.http_client.session.close()
        assert f"http://127.0.0.1:{port}" in process.output()


def test_limits_reject_unknown_names() -> None:
    with pytest.raises(ValueError, match="unknown limits"):
        Limits().update({"writes": 1})
