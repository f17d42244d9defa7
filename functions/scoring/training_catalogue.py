"""The seed catalogue of competence development (KatalogPelatihan): what saran pelatihan can suggest.

Sources: PP 11/2017 as amended, Pasal 203 (at least 20 JP a year) and Pasal 206 (plans from the
gap in competence and performance); PerLAN 10/2018 (klasikal: pelatihan teknis, bimbingan
teknis, workshop, ...; non-klasikal: coaching, mentoring, e-learning, ...). The entries, their JP
and organisers are a starting proposal for the operator to edit in the sheet, not a rule.

``kompetensi`` holds comma-separated lower-case tags; ``functions.scoring.training`` maps a
weakness to a tag and suggests the first entry of the sheet that carries it. Links are only the
home pages of public platforms (LAN's ASN Unggul, SP4N-LAPOR!); no course link is invented.
"""

from __future__ import annotations

from typing import Any

ASN_UNGGUL = "https://asn-unggul.lan.go.id"
LAPOR = "https://www.lapor.go.id"


def _entry(
    id: str,
    nama: str,
    jenis: str,
    bentuk: str,
    kompetensi: str,
    jp: int,
    penyelenggara: str | None = None,
    tautan: str | None = None,
) -> dict[str, Any]:
    return {
        "id": id,
        "nama": nama,
        "jenis": jenis,
        "bentuk": bentuk,
        "kompetensi": kompetensi,
        "jp": jp,
        "penyelenggara": penyelenggara,
        "tautan": tautan,
    }


K, NK = "Klasikal", "Non-klasikal"

# fmt: off
CATALOGUE: tuple[dict[str, Any], ...] = (
    # Non-klasikal development in the workplace: the first answer to low results (DOMAIN.md 5).
    _entry("coaching-atasan", "Coaching oleh Atasan Langsung", NK, "coaching",
           "coaching, hasil-kerja, kedisiplinan", 4, "Atasan langsung"),
    _entry("mentoring", "Mentoring oleh Pegawai Senior", NK, "mentoring",
           "mentoring, hasil-kerja, kompeten", 4, "Mentor di unit kerja"),
    _entry("konseling", "Konseling Kinerja dan Perilaku Kerja", NK, "konseling",
           "konseling, perilaku", 2, "BKPP Kota Semarang"),
    # Service to the public and complaints (SKM unsur, SP4N-LAPOR!).
    _entry("pelayanan-prima", "Pelatihan Pelayanan Prima", K, "pelatihan teknis",
           "pelayanan-prima, berorientasi-pelayanan, kepuasan, perilaku-pelaksana, kompetensi-pelaksana", 24,
           "BKPP Kota Semarang"),
    _entry("sp4n-lapor", "Pelatihan Penanganan Pengaduan SP4N-LAPOR!", K, "bimbingan teknis",
           "pengaduan, responsivitas", 16, "Pengelola SP4N-LAPOR! Kota Semarang", LAPOR),
    _entry("standar-pelayanan", "Penyusunan dan Penerapan Standar Pelayanan", K, "bimbingan teknis",
           "standar-pelayanan, persyaratan, produk-layanan", 8, "Bagian Organisasi Setda Kota Semarang"),
    _entry("sop-pelayanan", "Penyusunan SOP dan Alur Pelayanan", K, "bimbingan teknis",
           "sop, prosedur", 8, "Bagian Organisasi Setda Kota Semarang"),
    _entry("manajemen-waktu", "Manajemen Waktu dan Prioritas Kerja", NK, "e-learning",
           "manajemen-waktu, kedisiplinan, waktu-penyelesaian", 6, "LAN RI (ASN Unggul)", ASN_UNGGUL),
    # Digital skills and the applications of the job.
    _entry("literasi-digital", "Literasi Digital ASN", NK, "e-learning",
           "literasi-digital, aplikasi", 8, "LAN RI (ASN Unggul)", ASN_UNGGUL),
    _entry("bimtek-simpus", "Bimbingan Teknis Aplikasi SIMPUS", K, "bimbingan teknis",
           "aplikasi, simpus", 8, "Dinas Kesehatan Kota Semarang"),
    _entry("bimtek-siak", "Bimbingan Teknis Aplikasi SIAK", K, "bimbingan teknis",
           "aplikasi, siak", 8, "Dinas Kependudukan dan Pencatatan Sipil Kota Semarang"),
    _entry("bimtek-srikandi", "Bimbingan Teknis Aplikasi SRIKANDI", K, "bimbingan teknis",
           "aplikasi, srikandi", 8, "Dinas Arsip dan Perpustakaan Kota Semarang"),
    _entry("bimtek-ekinerja", "Bimbingan Teknis Aplikasi e-Kinerja", K, "bimbingan teknis",
           "aplikasi, e-kinerja", 4, "BKPP Kota Semarang"),
    _entry("spreadsheet-dasar", "Pengolahan Data dengan Spreadsheet (Dasar)", NK, "e-learning",
           "spreadsheet, pengolahan-data", 8, "LAN RI (ASN Unggul)", ASN_UNGGUL),
    _entry("keamanan-informasi", "Keamanan Informasi bagi ASN", NK, "e-learning",
           "keamanan-informasi, kerahasiaan", 4, "LAN RI (ASN Unggul)", ASN_UNGGUL),
    # Office work.
    _entry("naskah-dinas", "Penulisan Naskah Dinas", K, "pelatihan teknis",
           "naskah-dinas, tata-naskah", 16, "BKPP Kota Semarang"),
    _entry("pengelolaan-arsip", "Pengelolaan Arsip Dinamis", K, "bimbingan teknis",
           "arsip, tata-naskah", 8, "Dinas Arsip dan Perpustakaan Kota Semarang"),
    _entry("komunikasi", "Keterampilan Komunikasi Efektif", K, "workshop",
           "komunikasi, harmonis", 8, "BKPP Kota Semarang"),
    # The BerAKHLAK core values (UU 20/2023 Pasal 4).
    _entry("berakhlak", "Core Values ASN BerAKHLAK", NK, "e-learning",
           "berakhlak, loyal, kompeten", 6, "LAN RI (ASN Unggul)", ASN_UNGGUL),
    _entry("etika-integritas", "Etika dan Integritas ASN", NK, "e-learning",
           "integritas, akuntabel, etika", 6, "LAN RI (ASN Unggul)", ASN_UNGGUL),
    _entry("kerja-sama-tim", "Kerja Sama Tim dan Kolaborasi", K, "workshop",
           "kerja-sama, kolaboratif", 8, "BKPP Kota Semarang"),
    _entry("inovasi-pelayanan", "Inovasi Pelayanan Publik", K, "pelatihan teknis",
           "inovasi, adaptif", 16, "BKPP Kota Semarang"),
)
# fmt: on


def rows() -> list[dict[str, Any]]:
    """The seed rows of the KatalogPelatihan sheet, in the order suggestions prefer them (copies)."""
    return [dict(entry) for entry in CATALOGUE]
