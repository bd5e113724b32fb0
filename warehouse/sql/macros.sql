-- Table macros for the everyday questions, created with the views on every load (readers open the file read-only).
-- Names are matched the way an analyst types them: 'Zakharova', 'Maria Zakharova' or 'maria_zakharova', any case.

-- An entity key as transforms/entities/keys.py spells one: ASCII, lower case, words joined by '_' ('Erdoğan' -> 'erdogan').
CREATE OR REPLACE MACRO key_of(name) AS
    trim(regexp_replace(strip_accents(lower(trim(name))), '[^a-z0-9]+', '_', 'g'), '_');

-- True when `who` is one of `names` (a '; '-separated list) or ends it as a surname, or is one of the entity `keys`
-- or ends it ('zakharova' ends maria_zakharova). Ends, not contains: 'Trump' is not 'the Trump administration'.
CREATE OR REPLACE MACRO names_match(names, keys, who) AS coalesce(
    list_bool_or(list_transform(string_split(lower(names), ';'),
        lambda n: trim(n) = lower(trim(who)) OR ends_with(trim(n), ' ' || lower(trim(who)))))
    OR list_bool_or(list_transform(keys, lambda k: k = key_of(who) OR ends_with(k, '_' || key_of(who)))),
    false);

-- Quotes whose resolved speaker is `who`, oldest first.
CREATE OR REPLACE MACRO quotes_by(who) AS TABLE
    SELECT published_date, outlet, speaker, entity_key, source_kind, quote_type, text, title, url, quote_id, article_id
    FROM quote_facts
    WHERE names_match(speaker, [entity_key], who)
    ORDER BY published_date NULLS LAST, article_id, char_start;

-- Text as quotes_about compares it: letters and digits only, lower case, accents removed, so that 'ceasefire' finds
-- "cease-fire" and "we're" finds "we’re".
CREATE OR REPLACE MACRO search_text(t) AS regexp_replace(strip_accents(lower(t)), '[^\pL\pN]+', '', 'g');

-- Quotes containing `phrase`, whatever the case, accents, spacing and punctuation of either.
CREATE OR REPLACE MACRO quotes_about(phrase) AS TABLE
    SELECT published_date, outlet, speaker, quote_type, text, title, url, quote_id, article_id
    FROM quote_facts
    WHERE search_text(phrase) <> '' AND contains(search_text(text), search_text(phrase))
    ORDER BY published_date NULLS LAST, article_id, char_start;

-- Events with `party_a` and `party_b` on either side (or both among the actors), and which way they went.
CREATE OR REPLACE MACRO events_between(party_a, party_b) AS TABLE
    WITH sides AS (
        SELECT *,
            names_match(actor, actor_entity_keys, party_a) AS a_acts,
            names_match(recipient, recipient_entity_keys, party_a) AS a_receives,
            names_match(actor, actor_entity_keys, party_b) AS b_acts,
            names_match(recipient, recipient_entity_keys, party_b) AS b_receives
        FROM event_facts
    )
    SELECT
        coalesce(event_date, published_date) AS event_day,
        CASE WHEN a_acts AND b_receives THEN party_a || ' → ' || party_b
             WHEN b_acts AND a_receives THEN party_b || ' → ' || party_a
             ELSE party_a || ' + ' || party_b END AS direction,
        event_type, trigger, actor, recipient, location, event_date, date_granularity, negated, future, hypothetical,
        sentence, outlet, title, event_id, article_id
    FROM sides
    WHERE (a_acts AND b_receives) OR (b_acts AND a_receives) OR (a_acts AND b_acts)
    ORDER BY event_day NULLS LAST, article_id, event_id;

-- Everything `who` said or did or had done to them, by date: the event's own date when resolved, else publication.
CREATE OR REPLACE MACRO timeline(who) AS TABLE
    SELECT * FROM (
        SELECT
            coalesce(event_date, published_date) AS timeline_date,
            CASE WHEN event_date IS NULL THEN 'published_date' ELSE 'event_date' END AS date_basis,
            'event' AS item,
            CASE WHEN names_match(actor, actor_entity_keys, who) THEN 'actor' ELSE 'recipient' END AS role,
            event_type AS item_type,
            coalesce(actor, '?') || ' ' || trigger || coalesce(' ' || recipient, '') AS summary,
            sentence AS text, outlet, title, article_id, event_id AS item_id, trigger_char_start AS char_start
        FROM event_facts
        WHERE names_match(actor, actor_entity_keys, who) OR names_match(recipient, recipient_entity_keys, who)
        UNION ALL
        SELECT
            published_date, 'published_date', 'quote', 'speaker', quote_type,
            speaker || coalesce(' ' || cue, ''), text, outlet, title, article_id, quote_id, char_start
        FROM quote_facts
        WHERE names_match(speaker, [entity_key], who)
    )
    ORDER BY timeline_date NULLS LAST, article_id, char_start, item;

-- The `n` most quoted named sources published between two dates (inclusive; NULL leaves that end open).
-- Anonymous sources are left out: one entity key such as anon:official stands for many different people.
CREATE OR REPLACE MACRO top_speakers(from_date, to_date, n) AS TABLE
    SELECT
        q.entity_key, ss.name, ss.kinds,
        count(*) AS quotes,
        count(DISTINCT q.article_id) AS articles,
        count(DISTINCT q.outlet) AS outlets,
        min(q.published_date) AS first_quoted,
        max(q.published_date) AS last_quoted
    FROM quote_facts q
    JOIN speaker_stats ss USING (entity_key)
    WHERE q.source_kind <> 'anonymous'
      AND (from_date IS NULL OR q.published_date >= from_date::DATE)
      AND (to_date IS NULL OR q.published_date <= to_date::DATE)
    GROUP BY q.entity_key, ss.name, ss.kinds
    ORDER BY quotes DESC, articles DESC, q.entity_key
    LIMIT n;
