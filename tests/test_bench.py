"""The benchmark harness in quick mode (a handful of articles, one run each): every figure is in the JSON and
the markdown table is written. No timing is asserted: the machine running the tests is not the benchmark's."""

from __future__ import annotations

import json
import subprocess
import sys

from bench.__main__ import QUICK_SIZES, run_benchmark
from bench.peer import PEER_SCRIPT

RUN_FIELDS = {
    "seconds",
    "articles",
    "words",
    "articles_per_s",
    "words_per_s",
    "peak_rss_mb",
    "peak_tree_rss_mb",
    "stage_seconds",
    "stage_articles_per_s",
}
PEER_SIDE_FIELDS = {
    "cpu_seconds",
    "articles_per_cpu_s",
    "words_per_cpu_s",
    "quote_recall",
    "quote_precision",
    "quote_f1",
    "speaker_accuracy",
}
TARGETS = {
    "throughput_per_core_vs_peer >= 2.0",
    "throughput_per_core_vs_installed_peer >= 2.0",
    "quote_recall_vs_peer >= 2.0",
    "end_to_end_polnear_size_articles_per_s >= 20",
    "noop_rerun_share <= 0.05",
    "ten_x_growth <= 11",
    "full_reuters_peak_tree_rss_mb <= 2048",
    "nightly_peak_tree_rss_mb_largest <= 2048",
    "nightly_peak_tree_rss_growth <= 1.1",
    "end_to_end_vs_peer >= 3.0",
    "day_on_10x_warehouse_time_ratio <= 1.2",
}


def test_quick_benchmark_reports_every_figure(corpus, prefect_server, tmp_path, monkeypatch):
    from prefect.settings import PREFECT_API_URL

    # The harness's `wirehouse` subprocesses use the session's Prefect server instead of starting one each.
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    results = run_benchmark(corpus, tmp_path, repeats=1, sizes=QUICK_SIZES, runner="threads", full_reuters=False)

    written = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(results))
    assert set(written) == {
        "machine",
        "taken",
        "end_to_end",
        "rerun",
        "peer",
        "scale",
        "nightly_memory",
        "warehouse_growth",
        "full_reuters",
        "targets",
    }
    assert {"nproc", "cpu_model", "ram_gb"} <= set(written["machine"])
    assert {"started", "load_average_before", "repeats", "runner", "commit"} <= set(written["taken"])

    end_to_end = written["end_to_end"]
    assert RUN_FIELDS | {"polnear_size_articles_per_s", "inbox"} <= set(end_to_end)
    assert end_to_end["articles"] == QUICK_SIZES.polnear + QUICK_SIZES.reuters_slice
    assert {"ingest", "normalise", "extract", "validate", "write", "load"} <= set(end_to_end["stage_seconds"])
    assert {"seconds", "peak_rss_mb", "peak_tree_rss_mb", "share_of_first_run"} <= set(written["rerun"])

    peer = written["peer"]
    assert peer["articles"] == QUICK_SIZES.peer_articles
    assert set(peer["ours"]) >= PEER_SIDE_FIELDS and set(peer["peer"]) >= PEER_SIDE_FIELDS
    assert {"throughput_ratio_per_core", "recall_ratio"} <= set(peer)
    assert peer["peer"]["versions"]["spacy"] == spacy_version()
    assert "error" in peer["peer_as_installed"]  # quick mode builds no isolated environment
    side_by_side = peer["end_to_end"]
    assert side_by_side["articles"] == end_to_end["articles"] and side_by_side["ratio"] > 0
    assert side_by_side["installed_ratio"] is None

    scale = written["scale"]
    assert set(scale["1x"]) >= RUN_FIELDS and set(scale["10x"]) >= RUN_FIELDS
    assert scale["10x"]["articles"] == 10 * scale["1x"]["articles"] == 10 * QUICK_SIZES.scale_base
    assert {"growth_factor", "peak_rss_growth"} <= set(scale)
    assert written["full_reuters"] is None
    assert written["nightly_memory"] is None  # 2,000 and 20,000 articles: the full benchmark only
    growth = written["warehouse_growth"]
    assert growth["10x"]["warehouse_articles"] == 10 * growth["1x"]["warehouse_articles"]
    for run in (growth["1x"], growth["10x"]):
        assert run["articles"] == run["warehouse_articles"] + growth["day_articles"] == run["warehouse_articles"] + 2
    assert growth["time_ratio"] > 0

    assert set(written["targets"]) == TARGETS
    assert all(set(check) == {"value", "met"} for check in written["targets"].values())
    assert written["targets"]["full_reuters_peak_tree_rss_mb <= 2048"] == {"value": None, "met": None}
    assert (tmp_path / "latest.md").read_text(encoding="utf-8").startswith("Machine:")


def spacy_version() -> str:
    import spacy

    return spacy.__version__


def test_peer_script_runs_standalone(corpus, tmp_path):
    """bench/textacy_peer.py as the isolated environment runs it: a script importing nothing from wirehouse."""
    from transforms.nlp.loading import model_name

    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "polnear" / "dev" / "text").glob("*.txt"))[:2]]
    texts_path = tmp_path / "texts.json"
    texts_path.write_text(json.dumps(texts), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-I", str(PEER_SCRIPT), str(texts_path), model_name(), "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["cpu_seconds"] > 0
    assert report["versions"]["spacy"] == spacy_version()
