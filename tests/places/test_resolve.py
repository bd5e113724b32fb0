"""Event locations resolved offline to GeoNames places (transforms/places/resolve.py)."""

from __future__ import annotations

import polars as pl
import pytest

from transforms.places.resolve import resolve, resolve_places
from transforms.schema import EVENTS, conform


@pytest.mark.parametrize(
    ("location", "geonames_id", "country"),
    [
        ("Moscow", 524901, "RU"),  # the most populous Moscow, not Moscow, Idaho
        ("Kiev", 703448, "UA"),  # an alternate name of Kyiv
        ("the United States", 6252001, "US"),
        ("U.S.", 6252001, "US"),
        ("Britain", 2635167, "GB"),
        ("Ukraine's", 690791, "UA"),
        ("Washington", 4140963, "US"),  # the capital before the state
        ("Alaska", 5879092, "US"),
        ("Paris, Texas", 4717560, "US"),
        ("Springfield, IL", 4250542, "US"),
        ("Tripoli", 2210247, "LY"),  # the capital before Tripoli, Lebanon
    ],
)
def test_places_resolve_to_their_geonames_entry(location, geonames_id, country):
    place = resolve(location)
    assert (place.geonames_id, place.country_code) == (geonames_id, country)


@pytest.mark.parametrize(
    "location", ["Nowhereville", "the Eastern Conference", "Europe", "us", "Springfield, Atlantis"]
)
def test_unknown_places_stay_null(location):
    assert resolve(location) is None


def test_resolve_places_fills_the_place_columns_and_keeps_the_rows():
    events = conform(
        [
            {"event_id": "a", "location": "Moscow"},
            {"event_id": "b", "location": None},
            {"event_id": "c", "location": "Nowhereville"},
            {"event_id": "d", "location": "Moscow"},
        ],
        EVENTS,
    )
    resolved = resolve_places(events)
    assert resolved.columns == events.columns and resolved["event_id"].to_list() == ["a", "b", "c", "d"]
    assert resolved["place_country_code"].to_list() == ["RU", None, None, "RU"]
    moscow = resolved.filter(pl.col("event_id") == "a").row(0, named=True)
    assert moscow["place_latitude"] == pytest.approx(55.75, abs=0.01)
    assert moscow["place_longitude"] == pytest.approx(37.62, abs=0.01)
    countries = resolve_places(conform([{"event_id": "e", "location": "Ukraine"}], EVENTS)).row(0, named=True)
    assert countries["place_geonames_id"] == 690791 and countries["place_latitude"] is None
