"""The tables behind the demo city: units, jobs, SKP indicators, names, services, survey answers and texts.

Everything here is invented for the demo. The unit names are real units of Pemerintah Kota
Semarang; the people, NIPs and email addresses are not. ``functions.demo.seed`` turns these tables
into rows with a seeded random generator.
"""

from __future__ import annotations

from typing import NamedTuple


class Indicator(NamedTuple):
    """One SKP indicator of a job profile. ``per_activity`` is the quantity range of one reported activity."""

    jenis: str
    rencana: str
    indikator: str
    satuan: str
    bobot: int
    per_activity: tuple[int, int]
    activities: tuple[str, ...]


class Job(NamedTuple):
    profile: str  # key of PROFILES
    prefix: str  # academic title before the name, e.g. "dr."
    suffixes: tuple[str, ...]  # choices of degrees after the name ("" for none)
    gender: int | None = None  # 1 male, 2 female, None either


class Team(NamedTuple):
    supervisor: str  # jabatan of the middle supervisor
    staff: tuple[str, ...]  # jabatan of each staff member


class DemoUnit(NamedTuple):
    kode: str
    nama: str
    jenis: str
    induk: str | None
    area: str  # key of AREAS
    head: str  # jabatan of the unit head
    teams: tuple[Team, ...]


# Each area names its main application (used in activity and kendala texts) and its recurring kendala.
AREAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "kesehatan": (
        "aplikasi SIMPUS",
        (
            "Aplikasi SIMPUS sering error",
            "Antrean pasien membeludak sejak pagi",
            "Pasien datang tanpa membawa kartu BPJS",
            "Stok obat di gudang farmasi menipis",
        ),
    ),
    "dukcapil": (
        "aplikasi SIAK",
        (
            "Aplikasi SIAK sering error",
            "Blanko KTP-el terbatas",
            "Berkas pemohon tidak lengkap",
            "Server pusat sedang pemeliharaan",
        ),
    ),
    "wilayah": (
        "aplikasi layanan administrasi kelurahan",
        ("Berkas pemohon tidak lengkap", "Warga datang di luar jam layanan", "Data warga dari RT belum diperbarui"),
    ),
    "kepegawaian": (
        "aplikasi SIMPEG",
        (
            "Aplikasi SIMPEG sering error",
            "Berkas usulan dari OPD belum lengkap",
            "Data kepegawaian belum sinkron dengan BKN",
        ),
    ),
}
GENERAL_KENDALA = (
    "Jaringan internet lambat",
    "Printer rusak, dokumen dicetak di ruang lain",
    "Listrik padam sekitar satu jam",
    "Komputer kantor sering hang",
    "Kertas dan tinta printer habis",
)
RETURN_NOTES = (
    "Uraian kegiatan terlalu singkat, mohon dirinci.",
    "Mohon lampirkan bukti dukung kegiatan.",
    "Kuantitas tidak sesuai dengan bukti dukung.",
    "Kegiatan tidak sesuai dengan indikator SKP yang dipilih.",
    "Durasi terlalu lama untuk kuantitas yang dilaporkan, mohon diperiksa kembali.",
)


def _puskesmas(admin: tuple[str, ...], medical: tuple[str, ...]) -> tuple[str, tuple[Team, ...]]:
    """A puskesmas: its head, the head of administration and the coordinating doctor with their teams."""
    return "Kepala Puskesmas", (Team("Kepala Subbagian Tata Usaha", admin), Team("Dokter Ahli Muda", medical))


# Parents before children: the head of a child unit reports to the head of its parent.
# fmt: off
UNITS: tuple[DemoUnit, ...] = (
    DemoUnit("DINKES", "Dinas Kesehatan", "Dinas", None, "kesehatan", "Kepala Dinas Kesehatan", (
        Team("Sekretaris Dinas", ("Pengadministrasi Perkantoran", "Pranata Komputer Ahli Pertama")),
        Team("Kepala Bidang Pelayanan Kesehatan", (
            "Administrator Kesehatan Ahli Pertama", "Analis Kebijakan Ahli Pertama")),
    )),
    DemoUnit("PKM-PANDANARAN", "Puskesmas Pandanaran", "Puskesmas", "DINKES", "kesehatan", *_puskesmas(
        ("Pengadministrasi Perkantoran", "Pranata Komputer Terampil", "Asisten Apoteker Terampil"),
        ("Perawat Terampil", "Perawat Ahli Pertama", "Perawat Terampil", "Bidan Terampil",
         "Dokter Ahli Pertama", "Pranata Laboratorium Kesehatan Terampil"),
    )),
    DemoUnit("PKM-HALMAHERA", "Puskesmas Halmahera", "Puskesmas", "DINKES", "kesehatan", *_puskesmas(
        ("Pengadministrasi Perkantoran", "Pranata Komputer Terampil"),
        ("Perawat Terampil", "Perawat Terampil", "Bidan Terampil", "Dokter Ahli Pertama"),
    )),
    DemoUnit("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Dinas", None, "dukcapil",
             "Kepala Dinas Kependudukan dan Pencatatan Sipil", (
        Team("Kepala Bidang Pelayanan Pendaftaran Penduduk", (
            "Verifikator Data Kependudukan", "Verifikator Data Kependudukan", "Operator Layanan Operasional")),
        Team("Kepala Bidang Pelayanan Pencatatan Sipil", (
            "Verifikator Data Kependudukan", "Pengadministrasi Perkantoran")),
        Team("Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan", ("Pranata Komputer Ahli Pertama",)),
    )),
    DemoUnit("KEC-SMGTENGAH", "Kecamatan Semarang Tengah", "Kecamatan", None, "wilayah", "Camat Semarang Tengah", (
        Team("Sekretaris Kecamatan", ("Pengadministrasi Perkantoran", "Pengolah Data dan Informasi")),
        Team("Kepala Seksi Pemerintahan", ("Penata Layanan Operasional", "Analis Kebijakan Ahli Pertama")),
    )),
    DemoUnit("KEL-PEKUNDEN", "Kelurahan Pekunden", "Kelurahan", "KEC-SMGTENGAH", "wilayah", "Lurah Pekunden", (
        Team("Sekretaris Kelurahan", (
            "Penata Layanan Operasional", "Operator Layanan Operasional", "Pengadministrasi Perkantoran")),
    )),
    DemoUnit("KEL-MIROTO", "Kelurahan Miroto", "Kelurahan", "KEC-SMGTENGAH", "wilayah", "Lurah Miroto", (
        Team("Sekretaris Kelurahan", ("Penata Layanan Operasional", "Operator Layanan Operasional")),
    )),
    DemoUnit("BKPP", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "Badan", None, "kepegawaian",
             "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", (
        Team("Sekretaris Badan", ("Pengadministrasi Perkantoran", "Pranata Komputer Ahli Pertama")),
        Team("Kepala Bidang Pengembangan Kompetensi", (
            "Analis Sumber Daya Manusia Aparatur Ahli Pertama", "Analis Sumber Daya Manusia Aparatur Ahli Pertama")),
        Team("Kepala Bidang Mutasi dan Promosi", (
            "Analis Sumber Daya Manusia Aparatur Ahli Pertama", "Analis Kebijakan Ahli Pertama")),
    )),
)
# fmt: on

JOBS: dict[str, Job] = {
    # unit heads
    "Kepala Dinas Kesehatan": Job("pimpinan", "dr.", ("M.Kes.", "M.M.")),
    "Kepala Dinas Kependudukan dan Pencatatan Sipil": Job("pimpinan", "", ("S.Sos., M.Si.", "S.H., M.H.")),
    "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia": Job("pimpinan", "", ("S.H., M.M.", "S.E., M.Si.")),
    "Camat Semarang Tengah": Job("pimpinan", "", ("S.STP, M.Si.", "S.Sos., M.M.")),
    "Kepala Puskesmas": Job("pimpinan", "dr.", ("M.Kes.", "")),
    "Lurah Pekunden": Job("lurah", "", ("S.IP", "S.Sos.", "S.STP")),
    "Lurah Miroto": Job("lurah", "", ("S.IP", "S.Sos.", "S.STP")),
    # middle supervisors
    "Sekretaris Dinas": Job("penyelia", "", ("S.K.M., M.Kes.", "S.E., M.M.")),
    "Kepala Bidang Pelayanan Kesehatan": Job("penyelia", "dr.", ("M.Kes.",)),
    "Kepala Subbagian Tata Usaha": Job("penyelia", "", ("S.E.", "S.K.M.", "S.Sos.")),
    "Dokter Ahli Muda": Job("koordinator_pelayanan", "dr.", ("",)),
    "Kepala Bidang Pelayanan Pendaftaran Penduduk": Job("penyelia", "", ("S.Sos., M.Si.", "S.H.")),
    "Kepala Bidang Pelayanan Pencatatan Sipil": Job("penyelia", "", ("S.H., M.H.", "S.Sos.")),
    "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan": Job("penyelia", "", ("S.Kom., M.Kom.", "S.T.")),
    "Sekretaris Kecamatan": Job("penyelia", "", ("S.Sos., M.Si.", "S.STP")),
    "Kepala Seksi Pemerintahan": Job("penyelia", "", ("S.IP", "S.H.")),
    "Sekretaris Kelurahan": Job("penyelia", "", ("S.Sos.", "S.E.", "S.IP")),
    "Sekretaris Badan": Job("penyelia", "", ("S.E., M.M.", "S.Sos., M.Si.")),
    "Kepala Bidang Pengembangan Kompetensi": Job("penyelia", "", ("S.Psi., M.Psi.", "S.Pd., M.M.")),
    "Kepala Bidang Mutasi dan Promosi": Job("penyelia", "", ("S.H., M.H.", "S.E., M.M.")),
    # staff
    "Dokter Ahli Pertama": Job("dokter", "dr.", ("",)),
    "Perawat Terampil": Job("perawat", "", ("A.Md.Kep.",)),
    "Perawat Ahli Pertama": Job("perawat", "", ("S.Kep., Ns.",)),
    "Bidan Terampil": Job("bidan", "", ("A.Md.Keb.",), gender=2),
    "Asisten Apoteker Terampil": Job("asisten_apoteker", "", ("A.Md.Farm.",)),
    "Pranata Laboratorium Kesehatan Terampil": Job("pranata_lab", "", ("A.Md.AK.",)),
    "Pranata Komputer Terampil": Job("pranata_komputer", "", ("A.Md.Kom.", "A.Md.")),
    "Pranata Komputer Ahli Pertama": Job("pranata_komputer", "", ("S.Kom.", "S.T.")),
    "Pengadministrasi Perkantoran": Job("administrasi", "", ("", "A.Md.", "S.E.")),
    "Administrator Kesehatan Ahli Pertama": Job("administrator_kesehatan", "", ("S.K.M.",)),
    "Analis Kebijakan Ahli Pertama": Job("analis_kebijakan", "", ("S.IP", "S.Sos.", "S.A.P.")),
    "Verifikator Data Kependudukan": Job("verifikator_dukcapil", "", ("S.Sos.", "S.H.", "A.Md.")),
    "Operator Layanan Operasional": Job("operator_layanan", "", ("", "A.Md.")),
    "Penata Layanan Operasional": Job("penata_layanan", "", ("S.E.", "S.Sos.", "A.Md.")),
    "Pengolah Data dan Informasi": Job("pengolah_data", "", ("A.Md.", "S.Kom.")),
    "Analis Sumber Daya Manusia Aparatur Ahli Pertama": Job("analis_sdm", "", ("S.Psi.", "S.H.", "S.E.")),
}

U, T = "Utama", "Tambahan"
# Activity texts may name the area's application as {aplikasi}.
# fmt: off
PROFILES: dict[str, tuple[Indicator, ...]] = {
    "pimpinan": (
        Indicator(U, "Terlaksananya koordinasi dan pengendalian program unit kerja",
                  "Jumlah rapat koordinasi yang dipimpin", "kegiatan", 35, (1, 1),
                  ("Memimpin rapat koordinasi pimpinan unit kerja",
                   "Memimpin rapat evaluasi capaian program",
                   "Mengikuti rapat koordinasi di Balai Kota")),
        Indicator(U, "Tertibnya administrasi dan kebijakan unit kerja",
                  "Jumlah naskah dinas yang ditandatangani", "dokumen", 35, (3, 10),
                  ("Memeriksa dan menandatangani surat keluar", "Menelaah surat masuk dan memberikan disposisi")),
        Indicator(U, "Meningkatnya kinerja pegawai unit kerja",
                  "Jumlah laporan kinerja bawahan yang dievaluasi", "laporan", 20, (2, 5),
                  ("Mengevaluasi capaian kinerja pejabat di bawahnya",
                   "Memberikan umpan balik kinerja kepada bawahan")),
        Indicator(T, "Terlaksananya pembinaan pegawai",
                  "Jumlah kegiatan pembinaan pegawai", "kegiatan", 10, (1, 1),
                  ("Memberikan pembinaan pada apel pagi", "Melakukan pembinaan disiplin pegawai")),
    ),
    "lurah": (
        Indicator(U, "Terselenggaranya pelayanan administrasi kelurahan",
                  "Jumlah surat keterangan dan pengantar yang ditandatangani", "dokumen", 40, (4, 12),
                  ("Menandatangani surat pengantar dan surat keterangan warga", "Memeriksa berkas permohonan warga")),
        Indicator(U, "Terbinanya lembaga kemasyarakatan kelurahan",
                  "Jumlah kegiatan pembinaan RT, RW dan LPMK", "kegiatan", 30, (1, 1),
                  ("Menghadiri pertemuan rutin pengurus RW",
                   "Membina pengurus LPMK",
                   "Memfasilitasi musyawarah warga")),
        Indicator(U, "Terjaganya ketenteraman dan ketertiban wilayah",
                  "Jumlah kegiatan pemantauan wilayah", "kegiatan", 20, (1, 1),
                  ("Memantau kebersihan dan ketertiban wilayah bersama Linmas", "Meninjau saluran air rawan genangan")),
        Indicator(T, "Tersampaikannya laporan kelurahan",
                  "Jumlah laporan kegiatan kelurahan ke kecamatan", "laporan", 10, (1, 1),
                  ("Menyusun laporan kegiatan kelurahan untuk Camat",)),
    ),
    "penyelia": (
        Indicator(U, "Terkendalinya pelaksanaan tugas tim",
                  "Jumlah laporan harian anggota tim yang diverifikasi", "laporan", 40, (4, 12),
                  ("Memverifikasi laporan harian anggota tim", "Memeriksa bukti dukung laporan kegiatan anggota tim")),
        Indicator(U, "Tersusunnya naskah dinas dan telaahan",
                  "Jumlah konsep naskah dinas yang dikoreksi", "dokumen", 30, (2, 6),
                  ("Mengoreksi konsep surat dan nota dinas", "Menyusun telaahan staf untuk pimpinan")),
        Indicator(U, "Terlaksananya koordinasi teknis",
                  "Jumlah rapat koordinasi teknis yang diikuti", "kegiatan", 20, (1, 1),
                  ("Mengikuti rapat koordinasi dengan pimpinan", "Memimpin rapat teknis tim")),
        Indicator(T, "Terbimbingnya pegawai baru",
                  "Jumlah kegiatan pendampingan pegawai", "kegiatan", 10, (1, 1),
                  ("Mendampingi pegawai baru memahami tugas", "Membimbing anggota tim menyusun laporan")),
    ),
    "koordinator_pelayanan": (
        Indicator(U, "Terlaksananya pelayanan medis",
                  "Jumlah pasien yang diperiksa", "pasien", 45, (10, 25),
                  ("Memeriksa pasien di poli umum", "Melayani konsultasi pasien Prolanis")),
        Indicator(U, "Terkendalinya mutu pelayanan klinis",
                  "Jumlah laporan tenaga kesehatan yang diverifikasi", "laporan", 35, (4, 10),
                  ("Memverifikasi laporan harian perawat dan bidan", "Memeriksa kelengkapan rekam medis pasien")),
        Indicator(U, "Terjaminnya mutu layanan puskesmas",
                  "Jumlah kegiatan audit mutu layanan", "kegiatan", 20, (1, 1),
                  ("Melaksanakan audit kepatuhan cuci tangan", "Memimpin pertemuan tim mutu layanan")),
    ),
    "dokter": (
        Indicator(U, "Terlaksananya pelayanan medis dasar",
                  "Jumlah pasien yang diperiksa", "pasien", 50, (12, 30),
                  ("Memeriksa pasien di poli umum",
                   "Menangani pasien di ruang tindakan",
                   "Memeriksa kesehatan calon pengantin")),
        Indicator(U, "Terlaksananya rujukan pasien",
                  "Jumlah rujukan pasien yang diterbitkan", "rujukan", 25, (1, 4),
                  ("Membuat surat rujukan pasien ke rumah sakit", "Menerbitkan rujukan balik pasien BPJS")),
        Indicator(U, "Meningkatnya pengetahuan kesehatan warga",
                  "Jumlah kegiatan penyuluhan kesehatan", "kegiatan", 15, (1, 1),
                  ("Memberikan penyuluhan di posyandu lansia", "Memberikan penyuluhan PHBS di sekolah")),
        Indicator(T, "Lengkapnya rekam medis",
                  "Jumlah rekam medis yang dilengkapi", "berkas", 10, (5, 15),
                  ("Melengkapi rekam medis elektronik di {aplikasi}",)),
    ),
    "perawat": (
        Indicator(U, "Terlaksananya asuhan keperawatan",
                  "Jumlah pasien yang dilayani asuhan keperawatan", "pasien", 45, (8, 20),
                  ("Melakukan asuhan keperawatan pasien rawat jalan",
                   "Melakukan perawatan luka pasien",
                   "Melakukan pengkajian keperawatan di ruang tindakan")),
        Indicator(U, "Terpantaunya kondisi pasien",
                  "Jumlah pasien yang diperiksa tanda vitalnya", "pasien", 30, (10, 25),
                  ("Mengukur tanda-tanda vital pasien di ruang triase", "Melakukan skrining pasien baru")),
        Indicator(U, "Terlaksananya perawatan kesehatan masyarakat",
                  "Jumlah kunjungan rumah pasien", "kunjungan", 15, (1, 3),
                  ("Melakukan kunjungan rumah pasien TB", "Melakukan kunjungan rumah lansia risiko tinggi")),
        Indicator(T, "Terdokumentasinya asuhan keperawatan",
                  "Jumlah dokumentasi asuhan keperawatan yang diinput", "berkas", 10, (5, 15),
                  ("Menginput dokumentasi asuhan keperawatan di {aplikasi}",)),
    ),
    "bidan": (
        Indicator(U, "Terlaksananya pelayanan kesehatan ibu hamil",
                  "Jumlah pemeriksaan ibu hamil", "ibu hamil", 40, (3, 8),
                  ("Melakukan pemeriksaan kehamilan (ANC) di poli KIA", "Melakukan kunjungan rumah ibu hamil")),
        Indicator(U, "Terlaksananya pelayanan keluarga berencana",
                  "Jumlah akseptor KB yang dilayani", "akseptor", 30, (2, 6),
                  ("Melayani pemasangan alat kontrasepsi", "Memberikan konseling KB")),
        Indicator(U, "Tercapainya imunisasi dasar lengkap",
                  "Jumlah bayi dan balita yang diimunisasi", "anak", 20, (3, 10),
                  ("Melaksanakan imunisasi di posyandu", "Melayani imunisasi bayi di poli KIA")),
        Indicator(T, "Terselenggaranya kelas ibu hamil",
                  "Jumlah kelas ibu hamil yang difasilitasi", "kegiatan", 10, (1, 1),
                  ("Memfasilitasi kelas ibu hamil",)),
    ),
    "asisten_apoteker": (
        Indicator(U, "Terlaksananya pelayanan kefarmasian",
                  "Jumlah resep yang dilayani", "resep", 50, (20, 45),
                  ("Melayani resep pasien rawat jalan", "Menyiapkan dan menyerahkan obat kepada pasien")),
        Indicator(U, "Tertibnya pengelolaan obat",
                  "Jumlah item obat yang dicatat dalam kartu stok", "item", 30, (10, 30),
                  ("Mencatat penerimaan dan pengeluaran obat di kartu stok", "Melakukan stok opname obat")),
        Indicator(U, "Terlaksananya konseling obat",
                  "Jumlah pasien yang diberi konseling obat", "pasien", 20, (2, 8),
                  ("Memberikan konseling obat kepada pasien penyakit kronis",)),
    ),
    "pranata_lab": (
        Indicator(U, "Terlaksananya pemeriksaan laboratorium",
                  "Jumlah sampel laboratorium yang diperiksa", "sampel", 50, (10, 25),
                  ("Memeriksa sampel darah rutin", "Memeriksa sampel dahak TB", "Memeriksa sampel urine")),
        Indicator(U, "Terpeliharanya alat laboratorium",
                  "Jumlah kegiatan pemeliharaan alat laboratorium", "kegiatan", 25, (1, 1),
                  ("Melakukan kalibrasi dan pembersihan alat laboratorium",)),
        Indicator(U, "Tercatatnya hasil pemeriksaan",
                  "Jumlah hasil pemeriksaan yang diinput", "hasil", 25, (10, 25),
                  ("Menginput hasil pemeriksaan laboratorium di {aplikasi}",)),
    ),
    "pranata_komputer": (
        Indicator(U, "Tertanganinya gangguan sistem informasi",
                  "Jumlah gangguan aplikasi yang ditangani", "tiket", 40, (2, 6),
                  ("Menangani gangguan {aplikasi}", "Memulihkan akun pengguna {aplikasi} yang terkunci")),
        Indicator(U, "Terpeliharanya perangkat TIK",
                  "Jumlah perangkat komputer dan jaringan yang dipelihara", "unit", 30, (1, 4),
                  ("Memelihara komputer dan printer layanan", "Memeriksa perangkat jaringan kantor")),
        Indicator(U, "Amannya data layanan",
                  "Jumlah basis data yang dicadangkan", "basis data", 20, (1, 2),
                  ("Mencadangkan basis data {aplikasi}",)),
        Indicator(T, "Meningkatnya kecakapan digital pegawai",
                  "Jumlah pegawai yang dibimbing memakai aplikasi", "orang", 10, (1, 5),
                  ("Membimbing pegawai memakai {aplikasi}",)),
    ),
    "administrasi": (
        Indicator(U, "Tertibnya administrasi persuratan",
                  "Jumlah surat masuk dan keluar yang diagendakan", "surat", 45, (8, 25),
                  ("Mengagendakan surat masuk", "Mengagendakan dan mengirim surat keluar")),
        Indicator(U, "Tertatanya arsip unit kerja",
                  "Jumlah berkas arsip yang ditata", "berkas", 30, (10, 30),
                  ("Menata arsip dinamis unit kerja", "Memindai arsip untuk arsip digital")),
        Indicator(U, "Terlaksananya dukungan rapat",
                  "Jumlah daftar hadir dan notula rapat yang disiapkan", "dokumen", 15, (1, 3),
                  ("Menyiapkan daftar hadir dan notula rapat",)),
        Indicator(T, "Terpenuhinya kebutuhan alat tulis kantor",
                  "Jumlah permintaan ATK yang diproses", "permintaan", 10, (1, 4),
                  ("Memproses permintaan alat tulis kantor",)),
    ),
    "administrator_kesehatan": (
        Indicator(U, "Terekapnya laporan program kesehatan",
                  "Jumlah laporan program puskesmas yang direkap", "laporan", 40, (2, 8),
                  ("Merekap laporan program gizi puskesmas", "Merekap laporan imunisasi")),
        Indicator(U, "Terolahnya data surveilans",
                  "Jumlah data kasus penyakit yang diolah", "data", 35, (10, 40),
                  ("Mengolah data kasus DBD mingguan", "Mengolah data kasus TB")),
        Indicator(U, "Terpantaunya program di puskesmas",
                  "Jumlah kunjungan monitoring ke puskesmas", "kegiatan", 15, (1, 1),
                  ("Melakukan monitoring program ke puskesmas",)),
        Indicator(T, "Tersedianya bahan paparan pimpinan",
                  "Jumlah bahan paparan yang disiapkan", "dokumen", 10, (1, 1),
                  ("Menyiapkan bahan paparan untuk Kepala Dinas",)),
    ),
    "analis_kebijakan": (
        Indicator(U, "Tersusunnya bahan kajian kebijakan",
                  "Jumlah data dan referensi kebijakan yang dianalisis", "dokumen", 40, (1, 3),
                  ("Menganalisis peraturan dan data pendukung kebijakan", "Menelaah referensi kebijakan daerah lain")),
        Indicator(U, "Tersusunnya rekomendasi kebijakan",
                  "Jumlah bagian naskah kajian yang disusun", "bagian", 30, (1, 2),
                  ("Menyusun bagian naskah kajian kebijakan", "Menyusun draf rekomendasi kebijakan")),
        Indicator(U, "Terlaksananya koordinasi kebijakan",
                  "Jumlah forum koordinasi kebijakan yang diikuti", "kegiatan", 20, (1, 1),
                  ("Mengikuti forum koordinasi kebijakan",)),
        Indicator(T, "Terdokumentasinya rapat",
                  "Jumlah notula rapat yang disusun", "notula", 10, (1, 1),
                  ("Menyusun notula rapat",)),
    ),
    "verifikator_dukcapil": (
        Indicator(U, "Terverifikasinya permohonan dokumen kependudukan",
                  "Jumlah berkas permohonan dokumen kependudukan yang diverifikasi", "berkas", 45, (15, 35),
                  ("Memverifikasi berkas permohonan KTP-el",
                   "Memverifikasi berkas perubahan Kartu Keluarga",
                   "Memverifikasi berkas permohonan akta kelahiran",
                   "Memverifikasi berkas pindah datang penduduk")),
        Indicator(U, "Validnya data kependudukan",
                  "Jumlah data kependudukan yang divalidasi", "data", 30, (10, 30),
                  ("Memvalidasi data kependudukan di {aplikasi}",)),
        Indicator(U, "Terlayaninya pemohon di loket",
                  "Jumlah pemohon yang dilayani di loket", "orang", 15, (10, 25),
                  ("Melayani pemohon di loket pelayanan",)),
        Indicator(T, "Terlaksananya layanan jemput bola",
                  "Jumlah layanan jemput bola yang diikuti", "kegiatan", 10, (1, 1),
                  ("Mengikuti layanan jemput bola perekaman KTP-el di sekolah",)),
    ),
    "operator_layanan": (
        Indicator(U, "Terlayaninya warga di loket",
                  "Jumlah pemohon yang dilayani di loket", "orang", 45, (8, 20),
                  ("Melayani pemohon di loket pelayanan", "Memberikan informasi persyaratan layanan kepada warga")),
        Indicator(U, "Tertibnya berkas layanan",
                  "Jumlah berkas permohonan yang diarsipkan", "berkas", 35, (5, 20),
                  ("Mengarsipkan berkas permohonan layanan",)),
        Indicator(U, "Terekapnya data pelayanan",
                  "Jumlah rekap harian pelayanan yang disusun", "laporan", 20, (1, 1),
                  ("Menyusun rekap harian pelayanan di {aplikasi}",)),
    ),
    "penata_layanan": (
        Indicator(U, "Terselesaikannya permohonan layanan warga",
                  "Jumlah surat keterangan dan pengantar yang diproses", "surat", 45, (5, 15),
                  ("Memproses surat pengantar KTP-el dan KK",
                   "Memproses surat keterangan domisili",
                   "Memproses surat keterangan tidak mampu")),
        Indicator(U, "Mutakhirnya data warga",
                  "Jumlah data warga yang dimutakhirkan", "data", 30, (5, 20),
                  ("Memutakhirkan data warga di {aplikasi}",)),
        Indicator(U, "Terlaporkannya kegiatan pelayanan",
                  "Jumlah laporan kegiatan pelayanan yang disusun", "laporan", 15, (1, 1),
                  ("Menyusun laporan kegiatan pelayanan",)),
        Indicator(T, "Terdampinginya kegiatan warga",
                  "Jumlah kegiatan warga yang didampingi", "kegiatan", 10, (1, 1),
                  ("Mendampingi kegiatan posyandu", "Mendampingi kerja bakti warga")),
    ),
    "pengolah_data": (
        Indicator(U, "Mutakhirnya data wilayah",
                  "Jumlah data yang diinput dan dimutakhirkan", "data", 50, (15, 40),
                  ("Menginput data monografi wilayah", "Memutakhirkan data sarana dan prasarana wilayah")),
        Indicator(U, "Tersusunnya statistik wilayah",
                  "Jumlah laporan statistik yang disusun", "laporan", 30, (1, 2),
                  ("Menyusun tabel statistik kependudukan kecamatan",)),
        Indicator(U, "Tersedianya informasi publik",
                  "Jumlah konten informasi publik yang diunggah", "konten", 20, (1, 2),
                  ("Mengunggah informasi layanan ke laman kecamatan",)),
    ),
    "analis_sdm": (
        Indicator(U, "Terprosesnya usulan kepegawaian",
                  "Jumlah usulan kenaikan pangkat dan mutasi yang diproses", "berkas", 40, (3, 10),
                  ("Memproses usulan kenaikan pangkat", "Memeriksa berkas usulan mutasi pegawai")),
        Indicator(U, "Mutakhirnya data kepegawaian",
                  "Jumlah data kepegawaian yang dimutakhirkan", "data", 30, (10, 30),
                  ("Memutakhirkan data riwayat jabatan di {aplikasi}",)),
        Indicator(U, "Terfasilitasinya pengembangan kompetensi",
                  "Jumlah peserta pengembangan kompetensi yang difasilitasi", "orang", 20, (3, 15),
                  ("Memfasilitasi peserta pelatihan kepemimpinan", "Memverifikasi usulan tugas belajar")),
        Indicator(T, "Terlayaninya konsultasi kepegawaian",
                  "Jumlah konsultasi kepegawaian yang dilayani", "orang", 10, (1, 4),
                  ("Melayani konsultasi kepegawaian pegawai OPD",)),
    ),
}

# Given names by gender (1 male, 2 female): a mix of Javanese and names common across Indonesia.
FIRST_NAMES: dict[int, tuple[str, ...]] = {
    1: ("Agus", "Bambang", "Budi", "Joko", "Slamet", "Hadi", "Wahyu", "Eko", "Teguh", "Bayu", "Rizky", "Andi",
        "Arief", "Yudi", "Heru", "Sigit", "Wisnu", "Dimas", "Fajar", "Ahmad", "Muhammad", "Irfan", "Galih", "Aditya"),
    2: ("Sri", "Siti", "Endang", "Retno", "Dewi", "Rina", "Wulan", "Ratna", "Ayu", "Nur", "Fitri", "Indah",
        "Anisa", "Dyah", "Kartika", "Lina", "Yuliana", "Novi", "Putri", "Ika", "Tri", "Maya", "Desi", "Rahma"),
}
MIDDLE_NAMES: dict[int, tuple[str, ...]] = {
    1: ("Dwi", "Tri", "Adi", "Nur", "Setyo", "Budi"),
    2: ("Dwi", "Tri", "Nur", "Ayu", "Puji", "Sekar"),
}
LAST_NAMES: dict[int, tuple[str, ...]] = {
    1: ("Santoso", "Wibowo", "Prasetyo", "Setiawan", "Susanto", "Hartono", "Kurniawan", "Nugroho", "Saputra",
        "Hidayat", "Pratama", "Purnomo", "Gunawan", "Suryono", "Ramadhan", "Firmansyah", "Wijaya", "Sutrisno"),
    2: ("Rahayu", "Lestari", "Wulandari", "Handayani", "Utami", "Puspitasari", "Maharani", "Permatasari",
        "Anggraini", "Safitri", "Kusumawati", "Susilowati", "Rahmawati", "Setyaningsih", "Purwaningsih", "Astuti"),
}
# fmt: on
EMAIL_DOMAIN = "semarangkota.go.id"


# -- public services and their satisfaction surveys (SKM) ------------------------


class DemoService(NamedTuple):
    """A public service of a demo unit, open for the satisfaction survey (one Layanan row)."""

    id: str
    nama: str
    populasi: int  # people served a year
    per_day: float  # survey responses on a workday, on average
    answers: str = "biasa"  # key of ANSWERS
    respondents: str = "umum"  # key of RESPONDENTS


# fmt: off
SERVICES: dict[str, tuple[DemoService, ...]] = {
    "DINKES": (
        DemoService("DINKES-SIP", "Rekomendasi Surat Izin Praktik Tenaga Kesehatan", 2400, 0.6, "baik", "nakes"),
        DemoService("DINKES-SLHS", "Sertifikat Laik Higiene Sanitasi", 600, 0.3, "biasa", "usaha"),
    ),
    "PKM-PANDANARAN": (
        DemoService("PKM-PANDANARAN-UMUM", "Pemeriksaan Umum", 14000, 2.0),
        DemoService("PKM-PANDANARAN-IMUN", "Imunisasi", 1800, 0.8, "sangat_baik", "ibu"),
        DemoService("PKM-PANDANARAN-KIA", "Pemeriksaan Ibu Hamil", 1200, 0.7, "baik", "ibu"),
        DemoService("PKM-PANDANARAN-FARMASI", "Pelayanan Obat", 13000, 0.8),
    ),
    "PKM-HALMAHERA": (
        DemoService("PKM-HALMAHERA-UMUM", "Pemeriksaan Umum", 11000, 1.5, "kurang_sarana"),
        DemoService("PKM-HALMAHERA-IMUN", "Imunisasi", 1400, 0.6, "baik", "ibu"),
        DemoService("PKM-HALMAHERA-KIA", "Pemeriksaan Ibu Hamil", 900, 0.5, "baik", "ibu"),
    ),
    "DISDUKCAPIL": (
        DemoService("DISDUKCAPIL-KTP", "Perekaman KTP-el", 45000, 2.0, "lambat"),
        DemoService("DISDUKCAPIL-KK", "Kartu Keluarga", 38000, 1.5),
        DemoService("DISDUKCAPIL-AKTA", "Akta Kelahiran", 22000, 1.0, "baik"),
        DemoService("DISDUKCAPIL-PINDAH", "Surat Pindah Datang", 9000, 0.5),
    ),
    "KEC-SMGTENGAH": (
        DemoService("KEC-SMGTENGAH-PATEN", "Pelayanan Administrasi Terpadu Kecamatan (PATEN)", 5200, 0.8),
        DemoService("KEC-SMGTENGAH-IUMK", "Izin Usaha Mikro dan Kecil", 700, 0.3, "baik", "usaha"),
    ),
    "KEL-PEKUNDEN": (
        DemoService("KEL-PEKUNDEN-PENGANTAR", "Surat Pengantar", 2600, 0.9),
        DemoService("KEL-PEKUNDEN-LEGALISIR", "Legalisir", 900, 0.4, "baik"),
        DemoService("KEL-PEKUNDEN-SKTM", "Surat Keterangan Tidak Mampu", 400, 0.3),
    ),
    "KEL-MIROTO": (
        DemoService("KEL-MIROTO-PENGANTAR", "Surat Pengantar", 2100, 0.7, "kurang_sarana"),
        DemoService("KEL-MIROTO-LEGALISIR", "Legalisir", 700, 0.3),
    ),
    "BKPP": (
        DemoService("BKPP-KP", "Layanan Kenaikan Pangkat", 3200, 0.6, "prosedur", "asn"),
        DemoService("BKPP-CUTI", "Layanan Cuti Pegawai", 2500, 0.4, "baik", "asn"),
        DemoService("BKPP-KPE", "Kartu Pegawai Elektronik", 1500, 0.3, "baik", "asn"),
    ),
}

# Weights of the answers 1, 2, 3, 4 by unsur ("*" for the unsur not named): most answers are 3.
# Every demo service is free, so most answer "Gratis" on Biaya/Tarif (u4).
FREE = (0.0, 0.02, 0.16, 0.82)
ANSWERS: dict[str, dict[str, tuple[float, float, float, float]]] = {
    "biasa": {"*": (0.01, 0.08, 0.61, 0.30), "u4": FREE},
    "baik": {"*": (0.01, 0.04, 0.50, 0.45), "u4": FREE},
    "sangat_baik": {"*": (0.0, 0.02, 0.38, 0.60), "u4": FREE},
    # Long queues (blanko KTP-el, one recording desk): slow, and it shows on procedure, complaints and the waiting room.
    "lambat": {"*": (0.03, 0.17, 0.62, 0.18), "u2": (0.08, 0.32, 0.50, 0.10), "u3": (0.35, 0.45, 0.17, 0.03),
               "u4": FREE, "u8": (0.10, 0.30, 0.50, 0.10), "u9": (0.05, 0.30, 0.55, 0.10)},
    "kurang_sarana": {"*": (0.01, 0.08, 0.61, 0.30), "u4": FREE, "u9": (0.08, 0.37, 0.48, 0.07)},
    "prosedur": {"*": (0.01, 0.08, 0.61, 0.30), "u4": FREE, "u1": (0.04, 0.22, 0.58, 0.16),
                 "u2": (0.05, 0.30, 0.55, 0.10), "u3": (0.05, 0.28, 0.55, 0.12)},
}

# Who answers, by kind of service: weights of each profile value (values as in the Survei sheet).
RESPONDENTS: dict[str, dict[str, dict[str, int]]] = {
    "umum": {
        "usia": {"< 20": 4, "20-29": 22, "30-39": 26, "40-49": 22, "50-59": 16, ">= 60": 10},
        "jenis_kelamin": {"Laki-laki": 47, "Perempuan": 53},
        "pendidikan": {"SD ke bawah": 12, "SMP": 15, "SMA/SMK": 42, "D1-D3": 9, "D4/S1": 19, "S2 ke atas": 3},
        "pekerjaan": {"PNS/TNI/Polri": 6, "Pegawai Swasta": 30, "Wiraswasta": 24, "Pelajar/Mahasiswa": 10,
                      "Ibu Rumah Tangga": 18, "Lainnya": 12},
    },
    "ibu": {
        "usia": {"< 20": 3, "20-29": 42, "30-39": 44, "40-49": 9, "50-59": 1, ">= 60": 1},
        "jenis_kelamin": {"Laki-laki": 6, "Perempuan": 94},
        "pendidikan": {"SD ke bawah": 6, "SMP": 14, "SMA/SMK": 48, "D1-D3": 10, "D4/S1": 20, "S2 ke atas": 2},
        "pekerjaan": {"PNS/TNI/Polri": 5, "Pegawai Swasta": 25, "Wiraswasta": 12, "Pelajar/Mahasiswa": 2,
                      "Ibu Rumah Tangga": 52, "Lainnya": 4},
    },
    "asn": {
        "usia": {"20-29": 8, "30-39": 32, "40-49": 34, "50-59": 26},
        "jenis_kelamin": {"Laki-laki": 50, "Perempuan": 50},
        "pendidikan": {"SMA/SMK": 12, "D1-D3": 14, "D4/S1": 56, "S2 ke atas": 18},
        "pekerjaan": {"PNS/TNI/Polri": 1},
    },
    "nakes": {
        "usia": {"20-29": 42, "30-39": 34, "40-49": 16, "50-59": 8},
        "jenis_kelamin": {"Laki-laki": 30, "Perempuan": 70},
        "pendidikan": {"D1-D3": 45, "D4/S1": 45, "S2 ke atas": 10},
        "pekerjaan": {"PNS/TNI/Polri": 35, "Pegawai Swasta": 55, "Wiraswasta": 5, "Lainnya": 5},
    },
    "usaha": {
        "usia": {"20-29": 18, "30-39": 32, "40-49": 28, "50-59": 16, ">= 60": 6},
        "jenis_kelamin": {"Laki-laki": 55, "Perempuan": 45},
        "pendidikan": {"SD ke bawah": 8, "SMP": 14, "SMA/SMK": 48, "D1-D3": 8, "D4/S1": 20, "S2 ke atas": 2},
        "pekerjaan": {"Pegawai Swasta": 15, "Wiraswasta": 80, "Lainnya": 5},
    },
}

# Suggestions of unhappy respondents, by the unsur they rated lowest.
SARAN_KELUHAN: dict[str, tuple[str, ...]] = {
    "u1": ("Persyaratan di papan informasi berbeda dengan yang diminta petugas.",
           "Mohon daftar persyaratan diumumkan lengkap di media sosial supaya tidak bolak-balik."),
    "u2": ("Alurnya membingungkan, harus naik turun ke beberapa loket.",
           "Pendaftaran daring sering gagal, akhirnya tetap harus datang antre."),
    "u3": ("Antrean terlalu lama, saya menunggu lebih dari tiga jam.",
           "Mohon tambah petugas di loket, antrean sudah panjang sejak pagi.",
           "Nomor antrean habis sebelum jam sembilan, mohon kuota ditambah."),
    "u4": ("Masih ada yang menawarkan jasa pengurusan berbayar di sekitar kantor.",),
    "u5": ("Hasilnya ada salah ketik nama, harus diulang lagi.",),
    "u6": ("Petugas kurang paham aturan terbaru, jawabannya berbeda-beda.",),
    "u7": ("Petugas kurang ramah dan sibuk dengan telepon genggam.",
           "Mohon petugas lebih sabar menjelaskan kepada warga lanjut usia."),
    "u8": ("Sudah mengadu lewat WhatsApp tetapi tidak dibalas.",
           "Kotak saran ada tetapi sepertinya tidak pernah dibuka."),
    "u9": ("Ruang tunggu panas dan kursinya kurang.",
           "Toilet kotor dan tempat parkir sempit.",
           "Mohon disediakan kursi roda dan jalur untuk difabel."),
}
# fmt: on
SARAN_UMUM = (
    "Pelayanan sudah cepat dan ramah, pertahankan.",
    "Terima kasih, petugas sangat membantu.",
    "Sudah baik, mohon informasi layanan juga diumumkan lewat Instagram.",
    "Pelayanan memuaskan, semoga terus ditingkatkan.",
    "Mohon jam layanan diperpanjang sampai sore untuk warga yang bekerja.",
    "Sebaiknya ada layanan antrean daring supaya tidak perlu datang pagi-pagi.",
)
