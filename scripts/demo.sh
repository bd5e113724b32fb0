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
