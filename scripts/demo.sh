#!/usr/bin/env bash
# Set up, run the nightly flow over the bundled demo inbox into ./demo-home, and answer a few questions.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PREFECT_HOME="${PREFECT_HOME:-$PWD/demo-home/prefect}"
mkdir -p "$PREFECT_HOME"  # Prefect creates its home but not the folders above it
.venv/bin/wirehouse run --inbox demo/inbox --home demo-home --run-date 2025-09-04
ask() { echo; echo "-- $1"; echo "$2"; .venv/bin/wirehouse sql --home demo-home "$2"; }
ask "Top 10 speakers by quote count" \
  "SELECT speaker, count(*) AS quotes FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY quotes DESC, speaker LIMIT 10"
ask "Every statement by Maria Zakharova" \
  "SELECT quote_type, text FROM quote_facts WHERE entity_key = 'maria_zakharova' ORDER BY char_start"
ask "The events of the seed article, in reading order" \
  "SELECT event_type, trigger, actor, recipient, event_date, concat_ws(' ', CASE WHEN negated THEN 'negated' END, CASE WHEN future THEN 'future' END, CASE WHEN hypothetical THEN 'hypothetical' END) AS flags FROM event_facts WHERE article_id = (SELECT article_id FROM articles WHERE external_id = 'seed-0001') ORDER BY trigger_char_start"
ask "Share of women among the people each outlet quotes (gender as the articles give it; originals only)" \
  "SELECT coalesce(outlet, '(no outlet)') AS outlet, sum(quoted_people) AS people_quoted, sum(quoted_women) AS women, sum(quoted_men) AS men, round(100 * sum(quoted_women) / nullif(sum(quoted_women) + sum(quoted_men), 0), 1) AS pct_women, round(100 * sum(quoted_women_incl_estimate) / nullif(sum(quoted_women_incl_estimate) + sum(quoted_men_incl_estimate), 0), 1) AS pct_women_incl_name_estimates FROM source_diversity WHERE NOT include_syndicated GROUP BY ALL HAVING sum(quoted_people) > 0 ORDER BY people_quoted DESC, outlet"
