-- wirehouse warehouse schema. Mirrors transforms/schema.py (tests/test_schema.py keeps them in step).
-- Offsets (char_start/char_end and friends) index articles.body: body[start:end] is the row's text.

CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR NOT NULL PRIMARY KEY,
    external_id VARCHAR,
    url VARCHAR,
    outlet VARCHAR,
    title VARCHAR,
    authors VARCHAR[],
    published_at TIMESTAMPTZ,
    published_date DATE,
    language VARCHAR,
    body VARCHAR NOT NULL,
    word_count INTEGER,
    content_hash VARCHAR NOT NULL,
    source_uri VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    ingested_at TIMESTAMPTZ NOT NULL,
    duplicate_of VARCHAR,
    duplicate_similarity DOUBLE,
    extracted_chars INTEGER,
    extraction_skipped VARCHAR,
    repairs VARCHAR[]
);
-- Homes created before articles had a repairs column get it here.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS repairs VARCHAR[];

CREATE TABLE IF NOT EXISTS sources (
    source_id VARCHAR NOT NULL PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    published_date DATE,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    role VARCHAR,
    affiliation VARCHAR,
    entity_key VARCHAR NOT NULL,
    mention_count INTEGER,
    quote_count INTEGER,
    char_start INTEGER,
    char_end INTEGER,
    run_id VARCHAR NOT NULL,
    gender VARCHAR,
    gender_evidence VARCHAR,
    gender_estimate VARCHAR,
    gender_estimate_probability DOUBLE
);
-- Homes created before the entity layer get the gender columns here.
ALTER TABLE sources ADD COLUMN IF NOT EXISTS gender VARCHAR;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS gender_evidence VARCHAR;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS gender_estimate VARCHAR;
ALTER TABLE sources ADD COLUMN IF NOT EXISTS gender_estimate_probability DOUBLE;

CREATE TABLE IF NOT EXISTS quotes (
    quote_id VARCHAR NOT NULL PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    published_date DATE,
    source_id VARCHAR,
    speaker VARCHAR,
    speaker_char_start INTEGER,
    speaker_char_end INTEGER,
    speaker_mention VARCHAR,
    cue VARCHAR,
    cue_char_start INTEGER,
    cue_char_end INTEGER,
    quote_type VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    confidence DOUBLE,
    run_id VARCHAR NOT NULL,
    quote_cluster_id VARCHAR,
    minhash_bands BIGINT[]
);
-- Homes created before quote clusters get their columns here.
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS quote_cluster_id VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS minhash_bands BIGINT[];

CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR NOT NULL PRIMARY KEY,
    event_key VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    published_date DATE,
    event_type VARCHAR NOT NULL,
    mode VARCHAR,
    quad_class VARCHAR,
    cameo_root VARCHAR,
    trigger VARCHAR NOT NULL,
    trigger_char_start INTEGER NOT NULL,
    trigger_char_end INTEGER NOT NULL,
    actor VARCHAR,
    actor_entity_keys VARCHAR[],
    actor_source_id VARCHAR,
    recipient VARCHAR,
    recipient_entity_keys VARCHAR[],
    recipient_source_id VARCHAR,
    location VARCHAR,
    date_text VARCHAR,
    event_date DATE,
    event_end_date DATE,
    date_granularity VARCHAR,
    negated BOOLEAN,
    future BOOLEAN,
    hypothetical BOOLEAN,
    quote_id VARCHAR,
    sentence_char_start INTEGER,
    sentence_char_end INTEGER,
    confidence DOUBLE,
    run_id VARCHAR NOT NULL,
    cameo_code VARCHAR,
    event_cluster_id VARCHAR,
    place_geonames_id BIGINT,
    place_country_code VARCHAR,
    place_latitude DOUBLE,
    place_longitude DOUBLE
);
-- Homes created before CAMEO codes, event clusters and places get their columns here.
ALTER TABLE events ADD COLUMN IF NOT EXISTS cameo_code VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS event_cluster_id VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_geonames_id BIGINT;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_country_code VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_latitude DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS place_longitude DOUBLE;

-- One row per person or organisation mention the entity layer found, with the entity it resolved to.
CREATE TABLE IF NOT EXISTS mentions (
    mention_id VARCHAR NOT NULL PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    published_date DATE,
    source_id VARCHAR,
    entity_key VARCHAR,
    entity_name VARCHAR,
    text VARCHAR NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    mention_type VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    run_id VARCHAR NOT NULL,
    entity_kind VARCHAR
);
-- Homes created before mentions carried their entity's kind get the column here.
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS entity_kind VARCHAR;

CREATE TABLE IF NOT EXISTS quarantine (
    quarantine_id VARCHAR NOT NULL PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    record VARCHAR,
    reason VARCHAR NOT NULL,
    source_uri VARCHAR,
    quarantined_at TIMESTAMPTZ
);
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS record_sha256 VARCHAR;
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS record_chars BIGINT;
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS record_location VARCHAR;

CREATE TABLE IF NOT EXISTS duplicates (
    duplicate_id VARCHAR NOT NULL PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    source_uri VARCHAR,
    article_id VARCHAR,
    duplicate_of VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    similarity DOUBLE,
    detected_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS skipped (
    skip_id VARCHAR NOT NULL PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    source_uri VARCHAR,
    reason VARCHAR NOT NULL,
    skipped_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS ingested_files (
    path VARCHAR NOT NULL,
    size_bytes BIGINT,
    sha256 VARCHAR NOT NULL PRIMARY KEY,
    records BIGINT,
    run_id VARCHAR NOT NULL,
    ingested_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS backfill_chunks (
    chunk_id VARCHAR NOT NULL PRIMARY KEY,
    path VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    first_record BIGINT NOT NULL,
    records BIGINT,
    run_id VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR NOT NULL PRIMARY KEY,
    flow VARCHAR NOT NULL,
    run_date DATE,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,
    files_read BIGINT,
    records_read BIGINT,
    loaded BIGINT,
    duplicates BIGINT,
    skipped BIGINT,
    quarantined BIGINT,
    sources_rows BIGINT,
    quotes_rows BIGINT,
    events_rows BIGINT,
    quarantined_rows BIGINT,
    stage_seconds VARCHAR,
    message VARCHAR
);

CREATE TABLE IF NOT EXISTS cluster_merges (
    merge_id VARCHAR NOT NULL PRIMARY KEY,
    run_id VARCHAR NOT NULL,
    cluster_kind VARCHAR NOT NULL,
    cluster_id VARCHAR NOT NULL,
    merged_into VARCHAR NOT NULL,
    reason VARCHAR,
    merged_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS entity_identifiers (
    name VARCHAR NOT NULL,
    entity_key VARCHAR NOT NULL PRIMARY KEY,
    identifier VARCHAR NOT NULL
);
