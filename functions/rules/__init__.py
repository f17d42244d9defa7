"""Rules shared by several areas, each in one module that names its source: working days (Perpres and SKB cuti
bersama, with the HariLibur overrides), the predikat matrix (PermenPANRB 6/2022) and the Konfigurasi values."""
