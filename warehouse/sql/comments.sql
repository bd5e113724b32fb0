-- What every table, view, column and macro means, so DESCRIBE, duckdb_columns() and DuckDB's UI explain themselves.
-- Applied after schema.sql, views.sql and macros.sql on every load (recreating a view drops its comments).
-- tests/test_views.py fails when a column has no comment here.

-- articles ---------------------------------------------------------------------------------------------------------
COMMENT ON TABLE articles IS 'One row per loaded article (exact duplicates are not loaded; see duplicates).';
COMMENT ON COLUMN articles.article_id IS 'Stable id: from the canonical URL, else outlet + external id, else the content hash.';
COMMENT ON COLUMN articles.external_id IS 'The id the input record carried, if any.';
COMMENT ON COLUMN articles.url IS 'Canonical URL of the article.';
COMMENT ON COLUMN articles.outlet IS 'Publishing outlet, by default the domain of the URL (NULL when neither is known).';
COMMENT ON COLUMN articles.title IS 'Headline.';
COMMENT ON COLUMN articles.authors IS 'Bylines, one name per element.';
COMMENT ON COLUMN articles.published_at IS 'Publication time in UTC.';
COMMENT ON COLUMN articles.published_date IS 'UTC date of published_at; the lake partition (NULL: partition "undated").';
COMMENT ON COLUMN articles.language IS 'Detected ISO 639-1 language of the body.';
COMMENT ON COLUMN articles.body IS 'Normalised article text; every *_char_start/*_char_end offset indexes it (0-based, end exclusive).';
COMMENT ON COLUMN articles.word_count IS 'Whitespace-separated words in body.';
COMMENT ON COLUMN articles.content_hash IS 'SHA-256 of the normalised body; equal hashes are exact duplicates.';
COMMENT ON COLUMN articles.source_uri IS 'Where the record was read: file#line=N or file#index=N.';
COMMENT ON COLUMN articles.run_id IS 'Run that loaded this version of the article (runs.run_id).';
COMMENT ON COLUMN articles.ingested_at IS 'When that run read the record (UTC).';
COMMENT ON COLUMN articles.duplicate_of IS 'For a near-duplicate (syndicated copy): article_id of the first copy seen; else NULL.';
COMMENT ON COLUMN articles.duplicate_similarity IS 'Estimated Jaccard similarity to duplicate_of (MinHash of word shingles).';
COMMENT ON COLUMN articles.extracted_chars IS 'Characters of body the extractors read (long bodies are cut for spaCy only).';
COMMENT ON COLUMN articles.extraction_skipped IS 'Why no sources/quotes/events were extracted (non_english, empty_after_truncation); NULL when they were.';
COMMENT ON COLUMN articles.repairs IS 'What the reader repaired to read the record (decoded as cp1252, fixed mojibake...).';

-- sources ----------------------------------------------------------------------------------------------------------
COMMENT ON TABLE sources IS 'One row per distinct source (person, organisation, outlet, anonymous...) cited in an article.';
COMMENT ON COLUMN sources.source_id IS 'Stable id of the source within its article.';
COMMENT ON COLUMN sources.article_id IS 'Article citing the source (articles.article_id).';
COMMENT ON COLUMN sources.published_date IS 'The article''s published_date (lake partition).';
COMMENT ON COLUMN sources.name IS 'Fullest name used for the source in the article.';
COMMENT ON COLUMN sources.kind IS 'person, organization, outlet, anonymous or other.';
COMMENT ON COLUMN sources.role IS 'Title or function given in the article (spokeswoman, official...).';
COMMENT ON COLUMN sources.affiliation IS 'Organisation or country the source speaks for, when stated.';
COMMENT ON COLUMN sources.entity_key IS 'Joins the same source across articles: ASCII lower-case words joined by _ (maria_zakharova); anon:... for anonymous sources.';
COMMENT ON COLUMN sources.mention_count IS 'Mentions of the source in the article.';
COMMENT ON COLUMN sources.quote_count IS 'Quotes attributed to the source in the article.';
COMMENT ON COLUMN sources.char_start IS 'Offset of the first mention in articles.body.';
COMMENT ON COLUMN sources.char_end IS 'End offset of the first mention in articles.body.';
COMMENT ON COLUMN sources.run_id IS 'Run that loaded the row.';

-- quotes -----------------------------------------------------------------------------------------------------------
COMMENT ON TABLE quotes IS 'One row per attributed statement; body[char_start:char_end] = text.';
COMMENT ON COLUMN quotes.quote_id IS 'Stable id from the article and the quote''s offsets.';
COMMENT ON COLUMN quotes.article_id IS 'Article the quote appears in.';
COMMENT ON COLUMN quotes.published_date IS 'The article''s published_date (lake partition).';
COMMENT ON COLUMN quotes.source_id IS 'Source the quote is attributed to (sources.source_id); NULL when unresolved.';
COMMENT ON COLUMN quotes.speaker IS 'Resolved speaker name (pronouns and surnames resolved to the full name).';
COMMENT ON COLUMN quotes.speaker_char_start IS 'Offset of speaker_mention in articles.body.';
COMMENT ON COLUMN quotes.speaker_char_end IS 'End offset of speaker_mention in articles.body.';
COMMENT ON COLUMN quotes.speaker_mention IS 'Words at the attribution as written (he, Zakharova, a White House official).';
COMMENT ON COLUMN quotes.cue IS 'Attribution verb or phrase (said, told, according to).';
COMMENT ON COLUMN quotes.cue_char_start IS 'Offset of cue in articles.body.';
COMMENT ON COLUMN quotes.cue_char_end IS 'End offset of cue in articles.body.';
COMMENT ON COLUMN quotes.quote_type IS 'direct (in quotation marks), indirect (reported), partial (quoted fragments) or mixed.';
COMMENT ON COLUMN quotes.text IS 'The statement as it appears in the body.';
COMMENT ON COLUMN quotes.char_start IS 'Offset of text in articles.body (0-based).';
COMMENT ON COLUMN quotes.char_end IS 'End offset of text in articles.body (exclusive).';
COMMENT ON COLUMN quotes.confidence IS 'Extractor confidence in the attribution, 0 to 1.';
COMMENT ON COLUMN quotes.run_id IS 'Run that loaded the row.';

-- events -----------------------------------------------------------------------------------------------------------
COMMENT ON TABLE events IS 'One row per event mention, typed with PLOVER; body[trigger_char_start:trigger_char_end] = trigger.';
COMMENT ON COLUMN events.event_id IS 'Stable id of this mention.';
COMMENT ON COLUMN events.event_key IS 'Groups mentions of one event in an article (same type, actors, recipients and date).';
COMMENT ON COLUMN events.article_id IS 'Article the event is mentioned in.';
COMMENT ON COLUMN events.published_date IS 'The article''s published_date (lake partition).';
COMMENT ON COLUMN events.event_type IS 'PLOVER event type (CONSULT, ACCUSE, ASSAULT...).';
COMMENT ON COLUMN events.mode IS 'PLOVER mode refining the type (phone, visit...); NULL when none applies.';
COMMENT ON COLUMN events.quad_class IS 'verbal/material cooperation/conflict, from the type.';
COMMENT ON COLUMN events.cameo_root IS 'Two-digit CAMEO root code of the type and mode.';
COMMENT ON COLUMN events.trigger IS 'Word or phrase that signals the event.';
COMMENT ON COLUMN events.trigger_char_start IS 'Offset of trigger in articles.body.';
COMMENT ON COLUMN events.trigger_char_end IS 'End offset of trigger in articles.body.';
COMMENT ON COLUMN events.actor IS 'Who acts, as written; several joined by "; ".';
COMMENT ON COLUMN events.actor_entity_keys IS 'Entity keys of the actors (join sources.entity_key).';
COMMENT ON COLUMN events.actor_source_id IS 'Source row of the first actor cited in the same article, if any.';
COMMENT ON COLUMN events.recipient IS 'Who or what is acted on, as written; several joined by "; ".';
COMMENT ON COLUMN events.recipient_entity_keys IS 'Entity keys of the recipients.';
COMMENT ON COLUMN events.recipient_source_id IS 'Source row of the first recipient cited in the same article, if any.';
COMMENT ON COLUMN events.location IS 'Where the event happens, when stated.';
COMMENT ON COLUMN events.date_text IS 'Date expression as written (on Wednesday, in August).';
COMMENT ON COLUMN events.event_date IS 'Resolved start date of the event, relative to the article''s publication.';
COMMENT ON COLUMN events.event_end_date IS 'Resolved end date, for spans (a month, a week).';
COMMENT ON COLUMN events.date_granularity IS 'day, week, month, year or unresolved.';
COMMENT ON COLUMN events.negated IS 'The event is said not to happen (will not consider).';
COMMENT ON COLUMN events.future IS 'The event is planned or expected, not yet happened.';
COMMENT ON COLUMN events.hypothetical IS 'The event is conditional (if, would).';
COMMENT ON COLUMN events.quote_id IS 'Quote the event is reported inside, if any (quotes.quote_id).';
COMMENT ON COLUMN events.sentence_char_start IS 'Offset of the sentence holding the trigger.';
COMMENT ON COLUMN events.sentence_char_end IS 'End offset of that sentence.';
COMMENT ON COLUMN events.confidence IS 'Extractor confidence, 0 to 1.';
COMMENT ON COLUMN events.run_id IS 'Run that loaded the row.';

-- bookkeeping ------------------------------------------------------------------------------------------------------
COMMENT ON TABLE quarantine IS 'Rejected input records and rows, with the reason; nothing is dropped silently.';
COMMENT ON COLUMN quarantine.quarantine_id IS 'Stable id of the rejection.';
COMMENT ON COLUMN quarantine.run_id IS 'Run that rejected it.';
COMMENT ON COLUMN quarantine.table_name IS 'Table the row was meant for; records for unreadable input.';
COMMENT ON COLUMN quarantine.record IS 'The rejected row or raw record, as JSON.';
COMMENT ON COLUMN quarantine.reason IS 'Failed expectations or the read error.';
COMMENT ON COLUMN quarantine.source_uri IS 'Where the record was read.';
COMMENT ON COLUMN quarantine.quarantined_at IS 'When (UTC).';

COMMENT ON TABLE duplicates IS 'Duplicate records: exact ones are not loaded, near ones are loaded and flagged in articles.duplicate_of.';
COMMENT ON COLUMN duplicates.duplicate_id IS 'Stable id of the detection.';
COMMENT ON COLUMN duplicates.run_id IS 'Run that detected it.';
COMMENT ON COLUMN duplicates.source_uri IS 'Where the duplicate record was read.';
COMMENT ON COLUMN duplicates.article_id IS 'article_id the duplicate would have had (loaded for near duplicates).';
COMMENT ON COLUMN duplicates.duplicate_of IS 'article_id of the copy kept.';
COMMENT ON COLUMN duplicates.kind IS 'exact (same body) or near (similar body).';
COMMENT ON COLUMN duplicates.similarity IS 'Estimated Jaccard similarity (1 for exact).';
COMMENT ON COLUMN duplicates.detected_at IS 'When (UTC).';

COMMENT ON TABLE skipped IS 'Inputs that are not articles (home pages, empty pages) and why.';
COMMENT ON COLUMN skipped.skip_id IS 'Stable id of the skip.';
COMMENT ON COLUMN skipped.run_id IS 'Run that skipped it.';
COMMENT ON COLUMN skipped.source_uri IS 'Where the input was read.';
COMMENT ON COLUMN skipped.reason IS 'Why it is not an article.';
COMMENT ON COLUMN skipped.skipped_at IS 'When (UTC).';

COMMENT ON TABLE ingested_files IS 'Every inbox file read, by content: a file already here is not read again.';
COMMENT ON COLUMN ingested_files.path IS 'Path of the file when it was read.';
COMMENT ON COLUMN ingested_files.size_bytes IS 'File size.';
COMMENT ON COLUMN ingested_files.sha256 IS 'SHA-256 of the file''s bytes.';
COMMENT ON COLUMN ingested_files.records IS 'Records read from the file.';
COMMENT ON COLUMN ingested_files.run_id IS 'Run that read it.';
COMMENT ON COLUMN ingested_files.ingested_at IS 'When (UTC).';

COMMENT ON TABLE backfill_chunks IS 'File segments loaded by backfill chunks (a chunk spans small files or cuts a big one), so that a resumed backfill skips them.';
COMMENT ON COLUMN backfill_chunks.chunk_id IS 'Id of the segment: the file and its first record.';
COMMENT ON COLUMN backfill_chunks.path IS 'File the segment was read from.';
COMMENT ON COLUMN backfill_chunks.file_sha256 IS 'SHA-256 of that file.';
COMMENT ON COLUMN backfill_chunks.first_record IS 'Position in the file of the segment''s first record, from 0.';
COMMENT ON COLUMN backfill_chunks.records IS 'Records in the segment.';
COMMENT ON COLUMN backfill_chunks.run_id IS 'Run that loaded the chunk.';
COMMENT ON COLUMN backfill_chunks.loaded_at IS 'When (UTC).';

COMMENT ON TABLE runs IS 'One row per run: records_read = loaded + duplicates + skipped + quarantined.';
COMMENT ON COLUMN runs.run_id IS 'Run id (flow name and start time).';
COMMENT ON COLUMN runs.flow IS 'Flow that ran (nightly, backfill).';
COMMENT ON COLUMN runs.run_date IS 'The day the run was for (--run-date).';
COMMENT ON COLUMN runs.started_at IS 'Start (UTC).';
COMMENT ON COLUMN runs.finished_at IS 'End (UTC).';
COMMENT ON COLUMN runs.status IS 'completed or failed.';
COMMENT ON COLUMN runs.files_read IS 'Inbox files read (files seen before are not read again).';
COMMENT ON COLUMN runs.records_read IS 'Records read from those files.';
COMMENT ON COLUMN runs.loaded IS 'Articles loaded.';
COMMENT ON COLUMN runs.duplicates IS 'Records found to be exact duplicates.';
COMMENT ON COLUMN runs.skipped IS 'Records that are not articles.';
COMMENT ON COLUMN runs.quarantined IS 'Records rejected whole.';
COMMENT ON COLUMN runs.sources_rows IS 'sources rows loaded.';
COMMENT ON COLUMN runs.quotes_rows IS 'quotes rows loaded.';
COMMENT ON COLUMN runs.events_rows IS 'events rows loaded.';
COMMENT ON COLUMN runs.quarantined_rows IS 'Rows of any table sent to quarantine.';
COMMENT ON COLUMN runs.stage_seconds IS 'Seconds per stage, as JSON ({"ingest": 0.4, ...}).';
COMMENT ON COLUMN runs.message IS 'Error message of a failed run.';

-- views ------------------------------------------------------------------------------------------------------------
COMMENT ON VIEW entity_aliases IS 'Surname-only person keys mapped to the one full-name key that ends in that surname (e.g. trump -> donald_trump); ambiguous surnames are left out.';
COMMENT ON COLUMN entity_aliases.entity_key IS 'A surname-only sources.entity_key.';
COMMENT ON COLUMN entity_aliases.canonical_key IS 'The full-name entity_key it joins.';
COMMENT ON VIEW quote_facts IS 'Each quote with its speaker, source and article: quotes joined to sources and articles.';
COMMENT ON COLUMN quote_facts.quote_id IS 'quotes.quote_id.';
COMMENT ON COLUMN quote_facts.article_id IS 'Article the quote appears in.';
COMMENT ON COLUMN quote_facts.published_date IS 'Article publication date (UTC).';
COMMENT ON COLUMN quote_facts.speaker IS 'Resolved speaker name.';
COMMENT ON COLUMN quote_facts.speaker_mention IS 'Words at the attribution as written.';
COMMENT ON COLUMN quote_facts.quote_type IS 'direct, indirect, partial or mixed.';
COMMENT ON COLUMN quote_facts.cue IS 'Attribution verb or phrase.';
COMMENT ON COLUMN quote_facts.text IS 'The statement.';
COMMENT ON COLUMN quote_facts.confidence IS 'Extractor confidence, 0 to 1.';
COMMENT ON COLUMN quote_facts.source_id IS 'sources.source_id of the speaker.';
COMMENT ON COLUMN quote_facts.source_name IS 'sources.name of the speaker.';
COMMENT ON COLUMN quote_facts.source_kind IS 'sources.kind: person, organization, outlet, anonymous or other.';
COMMENT ON COLUMN quote_facts.source_role IS 'sources.role: title or function.';
COMMENT ON COLUMN quote_facts.source_affiliation IS 'sources.affiliation.';
COMMENT ON COLUMN quote_facts.entity_key IS 'Speaker across articles: sources.entity_key, surname-only keys joined to their full name via entity_aliases.';
COMMENT ON COLUMN quote_facts.title IS 'Article headline.';
COMMENT ON COLUMN quote_facts.outlet IS 'Publishing outlet.';
COMMENT ON COLUMN quote_facts.url IS 'Article URL.';
COMMENT ON COLUMN quote_facts.published_at IS 'Article publication time (UTC).';
COMMENT ON COLUMN quote_facts.duplicate_of IS 'Set when the article is a syndicated copy: filter IS NULL to count each story once.';
COMMENT ON COLUMN quote_facts.char_start IS 'Offset of text in the article body.';
COMMENT ON COLUMN quote_facts.char_end IS 'End offset of text in the article body.';

COMMENT ON VIEW speaker_stats IS 'One row per entity_key: how often, where and when a source was cited.';
COMMENT ON COLUMN speaker_stats.entity_key IS 'The source across articles (surname-only keys joined to their full name via entity_aliases).';
COMMENT ON COLUMN speaker_stats.name IS 'Name as written where the source is mentioned most.';
COMMENT ON COLUMN speaker_stats.kinds IS 'Kinds the source was given (person, organization...), sorted.';
COMMENT ON COLUMN speaker_stats.quotes IS 'Quotes attributed to it.';
COMMENT ON COLUMN speaker_stats.mentions IS 'Mentions of it, over all articles.';
COMMENT ON COLUMN speaker_stats.articles IS 'Articles citing it.';
COMMENT ON COLUMN speaker_stats.outlets IS 'Distinct outlets citing it.';
COMMENT ON COLUMN speaker_stats.first_seen IS 'Earliest published_date of an article citing it.';
COMMENT ON COLUMN speaker_stats.last_seen IS 'Latest published_date of an article citing it.';

COMMENT ON VIEW event_facts IS 'Each event mention with its article and the sentence it was found in.';
COMMENT ON COLUMN event_facts.event_id IS 'events.event_id.';
COMMENT ON COLUMN event_facts.event_key IS 'Groups mentions of one event in an article.';
COMMENT ON COLUMN event_facts.article_id IS 'Article the event is mentioned in.';
COMMENT ON COLUMN event_facts.published_date IS 'Article publication date (UTC).';
COMMENT ON COLUMN event_facts.event_type IS 'PLOVER event type.';
COMMENT ON COLUMN event_facts.mode IS 'PLOVER mode.';
COMMENT ON COLUMN event_facts.quad_class IS 'verbal/material cooperation/conflict.';
COMMENT ON COLUMN event_facts.cameo_root IS 'Two-digit CAMEO root code.';
COMMENT ON COLUMN event_facts.trigger IS 'Word or phrase that signals the event.';
COMMENT ON COLUMN event_facts.trigger_char_start IS 'Offset of trigger in the article body.';
COMMENT ON COLUMN event_facts.trigger_char_end IS 'End offset of trigger in the article body.';
COMMENT ON COLUMN event_facts.actor IS 'Who acts, as written.';
COMMENT ON COLUMN event_facts.actor_entity_keys IS 'Entity keys of the actors.';
COMMENT ON COLUMN event_facts.recipient IS 'Who or what is acted on, as written.';
COMMENT ON COLUMN event_facts.recipient_entity_keys IS 'Entity keys of the recipients.';
COMMENT ON COLUMN event_facts.location IS 'Where, when stated.';
COMMENT ON COLUMN event_facts.date_text IS 'Date expression as written.';
COMMENT ON COLUMN event_facts.event_date IS 'Resolved start date of the event.';
COMMENT ON COLUMN event_facts.event_end_date IS 'Resolved end date, for spans.';
COMMENT ON COLUMN event_facts.date_granularity IS 'day, week, month, year or unresolved.';
COMMENT ON COLUMN event_facts.negated IS 'Said not to happen.';
COMMENT ON COLUMN event_facts.future IS 'Planned or expected.';
COMMENT ON COLUMN event_facts.hypothetical IS 'Conditional.';
COMMENT ON COLUMN event_facts.quote_id IS 'Quote the event is reported inside, if any.';
COMMENT ON COLUMN event_facts.confidence IS 'Extractor confidence, 0 to 1.';
COMMENT ON COLUMN event_facts.sentence IS 'The sentence holding the trigger, cut from the article body.';
COMMENT ON COLUMN event_facts.title IS 'Article headline.';
COMMENT ON COLUMN event_facts.outlet IS 'Publishing outlet.';
COMMENT ON COLUMN event_facts.url IS 'Article URL.';
COMMENT ON COLUMN event_facts.duplicate_of IS 'Set when the article is a syndicated copy.';

COMMENT ON VIEW article_stats IS 'One row per article with its counts of sources, quotes and events.';
COMMENT ON COLUMN article_stats.article_id IS 'articles.article_id.';
COMMENT ON COLUMN article_stats.published_date IS 'Publication date (UTC).';
COMMENT ON COLUMN article_stats.outlet IS 'Publishing outlet.';
COMMENT ON COLUMN article_stats.title IS 'Headline.';
COMMENT ON COLUMN article_stats.word_count IS 'Words in the body.';
COMMENT ON COLUMN article_stats.duplicate_of IS 'Set when the article is a syndicated copy.';
COMMENT ON COLUMN article_stats.sources IS 'Sources cited.';
COMMENT ON COLUMN article_stats.anonymous_sources IS 'Sources of kind anonymous.';
COMMENT ON COLUMN article_stats.quotes IS 'Quotes.';
COMMENT ON COLUMN article_stats.anonymous_quotes IS 'Quotes attributed to anonymous sources.';
COMMENT ON COLUMN article_stats.events IS 'Event mentions.';

COMMENT ON VIEW outlet_stats IS 'One row per outlet (NULL: articles without one): volume, sourcing and anonymity.';
COMMENT ON COLUMN outlet_stats.outlet IS 'Publishing outlet.';
COMMENT ON COLUMN outlet_stats.articles IS 'Articles loaded.';
COMMENT ON COLUMN outlet_stats.first_seen IS 'Earliest publication date.';
COMMENT ON COLUMN outlet_stats.last_seen IS 'Latest publication date.';
COMMENT ON COLUMN outlet_stats.sources IS 'Sources cited, over all its articles.';
COMMENT ON COLUMN outlet_stats.anonymous_sources IS 'Of those, sources of kind anonymous.';
COMMENT ON COLUMN outlet_stats.anonymous_share IS 'anonymous_sources / sources (NULL when no sources).';
COMMENT ON COLUMN outlet_stats.quotes IS 'Quotes.';
COMMENT ON COLUMN outlet_stats.anonymous_quotes IS 'Quotes attributed to anonymous sources.';
COMMENT ON COLUMN outlet_stats.quotes_per_article IS 'quotes / articles.';
COMMENT ON COLUMN outlet_stats.speakers IS 'Distinct entity keys quoted.';
COMMENT ON COLUMN outlet_stats.events IS 'Event mentions.';

COMMENT ON VIEW daily_counts IS 'One row per publication date and outlet: articles, sources, quotes and events.';
COMMENT ON COLUMN daily_counts.published_date IS 'Publication date (UTC); NULL for undated articles.';
COMMENT ON COLUMN daily_counts.outlet IS 'Publishing outlet.';
COMMENT ON COLUMN daily_counts.articles IS 'Articles published that day.';
COMMENT ON COLUMN daily_counts.sources IS 'Sources cited in them.';
COMMENT ON COLUMN daily_counts.anonymous_sources IS 'Of those, anonymous.';
COMMENT ON COLUMN daily_counts.quotes IS 'Quotes in them.';
COMMENT ON COLUMN daily_counts.events IS 'Event mentions in them.';

-- macros -----------------------------------------------------------------------------------------------------------
COMMENT ON MACRO key_of IS 'key_of(name): the entity key spelling of a name (ASCII, lower case, words joined by _).';
COMMENT ON MACRO names_match IS 'names_match(names, keys, who): who is one of the names or their surname, or one of the entity keys or its last words.';
COMMENT ON MACRO TABLE quotes_by IS 'quotes_by(who): quotes by a speaker, matched on name, surname or entity key, any case.';
COMMENT ON MACRO search_text IS 'search_text(t): t as quotes_about compares it (letters and digits only, lower case, no accents).';
COMMENT ON MACRO TABLE quotes_about IS 'quotes_about(phrase): quotes containing the phrase, ignoring case, accents, spacing and punctuation.';
COMMENT ON MACRO TABLE events_between IS 'events_between(a, b): events with a and b as actor and recipient (either way) or joint actors.';
COMMENT ON MACRO TABLE timeline IS 'timeline(who): events and quotes involving who, by date.';
COMMENT ON MACRO TABLE top_speakers IS 'top_speakers(from_date, to_date, n): the n most quoted named sources in a date range (NULL: open end).';
