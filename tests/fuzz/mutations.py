"""Hypothesis strategies for broken files: a real sample, changed the ways files break.

A CSV sample is parsed into rows; the strategy applies a handful of edits (a cell
replaced by odd text or numbers, rows dropped or doubled, a column dropped or added, the
header changed) and then byte-level damage (cut short, invalid UTF-8, NUL, a BOM).
GeoJSON samples get the same at the JSON level (properties, geometry types and
coordinates replaced by any JSON) before the byte-level damage.
"""

from __future__ import annotations

import csv
import io
import json

from hypothesis import strategies as st

ODD_TEXT = st.sampled_from(
    [
        "", " ", "\x00", "NaN", "inf", "-inf", "-1", "0", "1e308", "99999999999999999999",
        "E05000000", "E05011529", "HU1 2PD", "2024-13", "2024-04", "=1+1", "é\u202e", "\ufeff",
        "On or near", "-0.3", "53.7", "1,000", "'", '"', "\n", "None", "null", "x" * 300,
        "On or near " + "y" * 250,
    ]
)  # fmt: skip
VALUES = st.one_of(
    ODD_TEXT,
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def damaged_bytes(draw, data: bytes) -> bytes:
    """Byte-level damage, sometimes none."""
    kind = draw(st.sampled_from(["none", "none", "cut", "insert", "bom", "latin1"]))
    if kind == "cut" and data:
        return data[: draw(st.integers(0, len(data) - 1))]
    if kind == "insert":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\x00", b"\xff\xfe", b"\xc3", b"\r", b"\n\n", b'"']))
        return data[:at] + junk + data[at:]
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "latin1":
        return data.decode("utf-8", "replace").encode("latin-1", "replace") + b"\xe9"
    return data


@st.composite
def broken_csv(draw, sample: bytes) -> bytes:
    rows = list(csv.reader(io.StringIO(sample.decode("utf-8-sig"))))
    for _ in range(draw(st.integers(0, 4))):
        edit = draw(st.sampled_from(["cell", "cell", "cell", "drop", "double", "column", "extra"]))
        if not rows:
            break
        i = draw(st.integers(0, len(rows) - 1))
        if edit == "cell" and rows[i]:
            rows[i][draw(st.integers(0, len(rows[i]) - 1))] = draw(VALUES)
        elif edit == "drop":
            rows.pop(i)
        elif edit == "double":
            rows.insert(i, list(rows[i]))
        elif edit == "column" and rows[i]:
            j = draw(st.integers(0, len(rows[i]) - 1))
            rows = [r[:j] + r[j + 1 :] for r in rows]
        elif edit == "extra":
            rows[i] = [*rows[i], draw(VALUES)]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return draw(damaged_bytes(out.getvalue().encode("utf-8")))


@st.composite
def broken_geojson(draw, features: list[dict]) -> bytes:
    features = json.loads(json.dumps(features))
    for _ in range(draw(st.integers(0, 3))):
        if not features:
            break
        feature = features[draw(st.integers(0, len(features) - 1))]
        if not isinstance(feature, dict):
            continue
        edit = draw(st.sampled_from(["property", "geometry", "type", "coordinate", "drop"]))
        if edit == "property" and feature.get("properties"):
            key = draw(st.sampled_from(sorted(feature["properties"])))
            feature["properties"][key] = draw(JSON_VALUES | VALUES)
        elif edit == "geometry":
            feature["geometry"] = draw(JSON_VALUES)
        elif edit == "type" and isinstance(feature.get("geometry"), dict):
            feature["geometry"]["type"] = draw(
                st.sampled_from(["Point", "Polygon", "MultiPolygon", "LineString", "Nope"])
            )
        elif edit == "coordinate":
            geometry = feature.get("geometry")
            feature["geometry"] = {
                "type": geometry.get("type", "Polygon")
                if isinstance(geometry, dict)
                else "Polygon",
                "coordinates": draw(JSON_VALUES),
            }
        elif edit == "drop":
            features.remove(feature)
    text = json.dumps({"type": "FeatureCollection", "features": features})
    return draw(damaged_bytes(text.encode("utf-8")))
