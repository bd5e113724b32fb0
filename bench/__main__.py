"""Benchmark wirehouse: end-to-end throughput per stage, the textacy peer, no-op rerun, 1x/10x input growth,
a nightly run's peak memory at 2,000 and 20,000 articles, and one day's run on a warehouse 1x and 10x larger.

Run as `python -m bench` or `wirehouse bench`; with --full-reuters it also backfills the whole Reuters-21578.

Every pipeline run is a `wirehouse` subprocess on a fresh home (a private Prefect home, warmed up first so its
one-off database migration is not timed). Figures are medians of --repeats runs. Results go to
bench/results/latest.json and latest.md, with the machine and its load when they were taken.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

from bench import peer, throughput
from bench.throughput import PipelineRun, fresh_dir

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_CORPUS = throughput.REPO.parent / "shared" / "corpus"
PEAK_MEMORY_LIMIT_MB = 2048


@dataclass(frozen=True)
class Sizes:
    polnear: int | None  # PolNeAR dev + train files in the end-to-end inbox (None: all 924)
    reuters_slice: int  # Reuters stories added to that inbox
    scale_base: int  # Reuters stories at 1x; 10x is ten times as many distinct stories
    peer_articles: int | None  # PolNeAR dev articles for the peer comparison (None: all 84)
    nightly_memory: tuple[int, ...]  # distinct Reuters stories per nightly run whose peak memory is reported
    # Reuters stories already loaded (1x; 10x is ten times as many) before the same day's inbox of `day` stories.
    warehouse_base: int
    day: int


FULL_SIZES = Sizes(
    polnear=None,
    reuters_slice=200,
    scale_base=200,
    peer_articles=None,
    nightly_memory=(2000, 20000),
    warehouse_base=400,
    day=200,
)
QUICK_SIZES = Sizes(
    polnear=4, reuters_slice=4, scale_base=3, peer_articles=3, nightly_memory=(), warehouse_base=3, day=2
)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; the median is reported")
    parser.add_argument("--quick", action="store_true", help="a handful of articles, one run each: a smoke test")
    parser.add_argument(
        "--full-reuters",
        action="store_true",
        help="also backfill all of Reuters-21578 (~19k stories, long) for its peak memory",
    )
    parser.add_argument(
        "--only-full-reuters",
        action="store_true",
        help="run only that backfill and add it to the results already in --out",
    )
    parser.add_argument(
        "--runner",
        default="threads",
        help="extraction runner of the pipeline runs (threads, the CLI's default; processes; dask)",
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the shared corpus folder")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="where latest.json and latest.md go")
    args = parser.parse_args(argv)
    if args.only_full_reuters:
        results = add_full_reuters(args.corpus, args.out)
        print(markdown(results))
        return results
    results = run_benchmark(
        args.corpus,
        args.out,
        repeats=1 if args.quick else args.repeats,
        sizes=QUICK_SIZES if args.quick else FULL_SIZES,
        runner=args.runner,
        full_reuters=args.full_reuters,
    )
    print(markdown(results))
    return results


def run_benchmark(corpus: Path, out: Path, repeats: int, sizes: Sizes, runner: str, full_reuters: bool) -> dict:
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="wirehouse-bench-") as scratch:
        tmp = Path(scratch)
        env = throughput.bench_env(tmp / "prefect")
        if sizes != QUICK_SIZES:  # Prefect migrates a new home's database on its first start: not timed
            throughput.run_pipeline(fresh_dir(tmp, "empty-inbox"), tmp / "warm-up-home", env, runner)

        inbox = fresh_dir(tmp, "inbox")
        throughput.polnear_inbox(inbox, corpus, sizes.polnear)
        throughput.reuters_inbox(inbox, corpus, sizes.reuters_slice)
        first_runs, reruns = [], []
        for _ in range(repeats):
            home = fresh_dir(tmp, "home")
            first_runs.append(throughput.run_pipeline(inbox, home, env, runner))
            reruns.append(throughput.rerun(inbox, home, env, runner))

        # The 10x stories follow the 1x ones, so both sizes are distinct stories (not exact duplicates).
        base_inbox, ten_inbox = fresh_dir(tmp, "inbox-1x"), fresh_dir(tmp, "inbox-10x")
        throughput.reuters_inbox(base_inbox, corpus, sizes.scale_base, offset=sizes.reuters_slice)
        throughput.reuters_inbox(ten_inbox, corpus, 10 * sizes.scale_base, offset=sizes.reuters_slice)
        base_runs, ten_runs = [], []
        for _ in range(repeats):
            base_runs.append(throughput.run_pipeline(base_inbox, fresh_dir(tmp, "home-1x"), env, runner))
            ten_runs.append(throughput.run_pipeline(ten_inbox, fresh_dir(tmp, "home-10x"), env, runner))

        memory = nightly_memory(corpus, tmp, env, runner, sizes) if sizes.nightly_memory else None
        growth = warehouse_growth(corpus, tmp, env, runner, sizes)
        full = full_reuters_backfill(corpus, tmp, env) if full_reuters else None
        end_to_end = median_run(first_runs)
        peer_end_to_end = peer.end_to_end(inbox, end_to_end["seconds"], installed_peer=sizes != QUICK_SIZES)

    # The peer as installed needs a fresh environment from PyPI: not worth it for a smoke test.
    comparison = peer.compare(
        corpus / "polnear" / "dev", repeats, sizes.peer_articles, installed_peer=sizes != QUICK_SIZES
    )
    rerun = {
        key: statistics.median(getattr(r, key) for r in reruns)
        for key in ("seconds", "peak_rss_mb", "peak_tree_rss_mb")
    }
    base, ten = median_run(base_runs), median_run(ten_runs)
    results = {
        "machine": machine(),
        "taken": {
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "repeats": repeats,
            "quick": sizes == QUICK_SIZES,
            "runner": runner,
            "commit": git_commit(),
        },
        "end_to_end": {
            **end_to_end,
            "inbox": {"polnear_files": sizes.polnear or "all", "reuters_stories": sizes.reuters_slice},
            "polnear_size_articles_per_s": polnear_size_rate(end_to_end),
        },
        "rerun": {**rerun, "share_of_first_run": rerun["seconds"] / end_to_end["seconds"]},
        "peer": {**comparison, "end_to_end": peer_end_to_end},
        "scale": {
            "1x": base,
            "10x": ten,
            "growth_factor": ten["seconds"] / base["seconds"],
            "peak_rss_growth": ten["peak_tree_rss_mb"] / base["peak_tree_rss_mb"],
        },
        "nightly_memory": memory,
        "warehouse_growth": growth,
        "full_reuters": full,
    }
    write_results(results, out)
    return results


def nightly_memory(corpus: Path, tmp: Path, env: dict[str, str], runner: str, sizes: Sizes) -> dict:
    """`wirehouse run` over an inbox of N distinct Reuters stories on a fresh home, once per size: its peak memory
    (the run streams its inbox in chunks, so it should not grow with N) and its time."""
    runs = {}
    for count in sizes.nightly_memory:
        inbox = fresh_dir(tmp, f"inbox-{count}")
        throughput.reuters_inbox(inbox, corpus, count, offset=sizes.reuters_slice)
        runs[str(count)] = throughput.run_pipeline(inbox, fresh_dir(tmp, f"home-{count}"), env, runner).as_dict()
        shutil.rmtree(inbox)
    peaks = [run["peak_tree_rss_mb"] for run in runs.values()]
    return {"runs": runs, "peak_tree_rss_growth": peaks[-1] / peaks[0]}


def warehouse_growth(corpus: Path, tmp: Path, env: dict[str, str], runner: str, sizes: Sizes) -> dict:
    """The same day's inbox run on a home whose warehouse already holds N and 10N other stories: the cross-article
    layer joins the day to what is loaded, and its cost should grow with the day, not with the warehouse."""
    # Offsets past the stories the other figures use, so every story here is distinct.
    history_offset = sizes.reuters_slice + 10 * sizes.scale_base + max(sizes.nightly_memory, default=0)
    day_inbox = fresh_dir(tmp, "inbox-day")
    throughput.reuters_inbox(day_inbox, corpus, sizes.day, offset=history_offset)
    runs = {}
    for factor in (1, 10):
        home, history = fresh_dir(tmp, f"home-history-{factor}x"), fresh_dir(tmp, f"inbox-history-{factor}x")
        throughput.reuters_inbox(history, corpus, factor * sizes.warehouse_base, offset=history_offset + sizes.day)
        throughput.run_pipeline(history, home, env, runner)
        runs[f"{factor}x"] = {
            "warehouse_articles": factor * sizes.warehouse_base,
            **throughput.run_pipeline(day_inbox, home, env, runner).as_dict(),
        }
    # Each run's `articles` counts the whole warehouse after it, history included.
    return {**runs, "day_articles": sizes.day, "time_ratio": runs["10x"]["seconds"] / runs["1x"]["seconds"]}


def full_reuters_backfill(corpus: Path, tmp: Path, env: dict[str, str]) -> dict:
    """`wirehouse backfill` of the whole Reuters-21578 on a fresh home, with the load it ran under."""
    load_before = os.getloadavg()
    run = throughput.run_backfill([corpus / "reuters21578"], fresh_dir(tmp, "home-reuters"), env)
    return {
        **run.as_dict(),
        "started_load_average": round(load_before[0], 2),
        "finished_load_average": round(os.getloadavg()[0], 2),
    }


def add_full_reuters(corpus: Path, out: Path) -> dict:
    """The whole Reuters backfill alone, added to the results of an earlier run in `out`."""
    results = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="wirehouse-bench-") as scratch:
        tmp = Path(scratch)
        results["full_reuters"] = full_reuters_backfill(corpus, tmp, throughput.bench_env(tmp / "prefect"))
    write_results(results, out)
    return results


def write_results(results: dict, out: Path) -> None:
    results["targets"] = targets(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (out / "latest.md").write_text(markdown(results), encoding="utf-8")


POLNEAR_WORDS_PER_ARTICLE = 805  # PolNeAR's mean (67.6k words over 84 dev articles)


def polnear_size_rate(run: dict) -> float:
    """Articles/s at PolNeAR's article length, from words/s: the inbox mixes in short Reuters stories."""
    return run["words_per_s"] / POLNEAR_WORDS_PER_ARTICLE


def median_run(runs: list[PipelineRun]) -> dict:
    """Each figure the median over the runs (stages each on their own)."""
    rows = [run.as_dict() for run in runs]
    merged = {key: statistics.median(row[key] for row in rows) for key in rows[0] if key != "stage_seconds"}
    stages = list(dict.fromkeys(stage for row in rows for stage in row["stage_seconds"]))  # in their order
    merged["stage_seconds"] = {
        stage: statistics.median(row["stage_seconds"].get(stage, 0.0) for row in rows) for stage in stages
    }
    merged["stage_articles_per_s"] = {
        stage: merged["articles"] / seconds if seconds else None for stage, seconds in merged["stage_seconds"].items()
    }
    return merged


def targets(results: dict) -> dict:
    """Issue 7's and issue 18's targets, each with the measured figure and whether it is met."""
    p, e2e = results["peer"], results["end_to_end"]
    full, memory = results["full_reuters"], results.get("nightly_memory")  # older results lack the newer figures
    largest_night = memory["runs"][max(memory["runs"], key=int)] if memory else None
    checks = {
        "throughput_per_core_vs_peer >= 2.0": p["throughput_ratio_per_core"],
        "throughput_per_core_vs_installed_peer >= 2.0": p["peer_as_installed"].get("throughput_ratio_per_core"),
        "quote_recall_vs_peer >= 2.0": p["recall_ratio"],
        "end_to_end_polnear_size_articles_per_s >= 20": e2e["polnear_size_articles_per_s"],
        "noop_rerun_share <= 0.05": results["rerun"]["share_of_first_run"],
        "ten_x_growth <= 11": results["scale"]["growth_factor"],
        "full_reuters_peak_tree_rss_mb <= 2048": full["peak_tree_rss_mb"] if full else None,
        "nightly_peak_tree_rss_mb_largest <= 2048": largest_night["peak_tree_rss_mb"] if largest_night else None,
        "nightly_peak_tree_rss_growth <= 1.1": memory["peak_tree_rss_growth"] if memory else None,
        "end_to_end_vs_peer >= 3.0": p.get("end_to_end", {}).get("ratio"),
        "day_on_10x_warehouse_time_ratio <= 1.2": (results.get("warehouse_growth") or {}).get("time_ratio"),
    }
    limits = {
        "throughput_per_core_vs_peer >= 2.0": (2.0, ">="),
        "throughput_per_core_vs_installed_peer >= 2.0": (2.0, ">="),
        "quote_recall_vs_peer >= 2.0": (2.0, ">="),
        "end_to_end_polnear_size_articles_per_s >= 20": (20, ">="),
        "noop_rerun_share <= 0.05": (0.05, "<="),
        "ten_x_growth <= 11": (11, "<="),
        "full_reuters_peak_tree_rss_mb <= 2048": (PEAK_MEMORY_LIMIT_MB, "<="),
        "nightly_peak_tree_rss_mb_largest <= 2048": (PEAK_MEMORY_LIMIT_MB, "<="),
        "nightly_peak_tree_rss_growth <= 1.1": (1.1, "<="),
        "end_to_end_vs_peer >= 3.0": (3.0, ">="),
        "day_on_10x_warehouse_time_ratio <= 1.2": (1.2, "<="),
    }
    out = {}
    for name, value in checks.items():
        limit, sense = limits[name]
        met = None if value is None else value >= limit if sense == ">=" else value <= limit
        out[name] = {"value": value, "met": met}
    return out


def machine() -> dict:
    cpu_model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=throughput.REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def markdown(results: dict) -> str:
    m, t = results["machine"], results["taken"]
    e2e, rerun, scale, p = results["end_to_end"], results["rerun"], results["scale"], results["peer"]
    lines = [
        f"Machine: {m['nproc']} cores, {m['cpu_model']}, {m['ram_gb']} GB RAM. Taken {t['started']} (commit "
        f"{t['commit']}), load average {t['load_average_before'][0]} before / {t['load_average_after'][0]} after; "
        f"medians of {t['repeats']} run(s); extraction runner `{t['runner']}`.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| end to end: {e2e['articles']} articles, {e2e['words']} words | {e2e['seconds']:.1f} s, "
        f"{e2e['articles_per_s']:.1f} articles/s, {e2e['words_per_s']:.0f} words/s "
        f"({e2e['polnear_size_articles_per_s']:.1f} PolNeAR-size articles/s) |",
        "| per stage (s, articles/s) | "
        + ", ".join(
            f"{stage} {seconds:.1f} s" + (f" ({e2e['stage_articles_per_s'][stage]:.0f}/s)" if seconds >= 0.05 else "")
            for stage, seconds in e2e["stage_seconds"].items()
        )
        + " |",
        f"| peak RSS, end to end | {e2e['peak_rss_mb']:.0f} MB largest process, {e2e['peak_tree_rss_mb']:.0f} MB whole tree |",
        f"| no-op rerun | {rerun['seconds']:.1f} s ({rerun['share_of_first_run']:.1%} of the first run) |",
        f"| extraction per core, PolNeAR dev ({p['articles']} articles) | ours {p['ours']['articles_per_cpu_s']:.1f} "
        f"articles/CPU-s, textacy on the same spaCy {p['peer']['versions']['spacy']} "
        f"{p['peer']['articles_per_cpu_s']:.1f}: **{p['throughput_ratio_per_core']:.2f}x** |",
        "| extraction per core vs textacy as installed from PyPI | " + installed_peer(p["peer_as_installed"]) + " |",
        f"| quote recall, PolNeAR dev | ours {p['ours']['quote_recall']:.3f} (P {p['ours']['quote_precision']:.3f}, "
        f"speaker {p['ours']['speaker_accuracy']:.3f}), textacy {p['peer']['quote_recall']:.3f} "
        f"(P {p['peer']['quote_precision']:.3f}): **{_ratio(p['recall_ratio'])}** |",
        f"| 1x / 10x Reuters ({scale['1x']['articles']} / {scale['10x']['articles']} stories) | "
        f"{scale['1x']['seconds']:.1f} s / {scale['10x']['seconds']:.1f} s: growth **{scale['growth_factor']:.2f}x**; "
        f"peak tree RSS {scale['1x']['peak_tree_rss_mb']:.0f} / {scale['10x']['peak_tree_rss_mb']:.0f} MB |",
    ]
    e2e_peer = p.get("end_to_end")
    if e2e_peer:
        lines.append(
            f"| end to end vs textacy, the same {e2e_peer['articles']} articles | wirehouse run "
            f"{e2e_peer['run_seconds']:.1f} s (every overhead), textacy on one core {e2e_peer['peer_seconds']:.1f} s: "
            f"**{e2e_peer['ratio']:.2f}x**"
            + (
                f"; textacy as installed {e2e_peer['installed_peer_cpu_seconds']:.1f} CPU-s: "
                f"**{e2e_peer['installed_ratio']:.2f}x**"
                if e2e_peer["installed_ratio"] is not None
                else ""
            )
            + " |"
        )
    memory = results.get("nightly_memory")
    if memory:
        runs = memory["runs"]
        lines.append(
            f"| nightly run, peak memory ({' / '.join(f'{int(n):,}' for n in runs)} Reuters stories) | "
            + " / ".join(f"{run['peak_tree_rss_mb']:.0f}" for run in runs.values())
            + " MB whole tree, "
            + " / ".join(f"{run['peak_rss_mb']:.0f}" for run in runs.values())
            + " MB largest process (growth "
            + f"{memory['peak_tree_rss_growth']:.2f}x); "
            + " / ".join(f"{run['seconds']:.0f}" for run in runs.values())
            + " s |"
        )
    growth = results.get("warehouse_growth")
    if growth:
        day, base, ten = growth["day_articles"], growth["1x"], growth["10x"]
        lines.append(
            f"| one day ({day} stories) on a warehouse of {base['warehouse_articles']:,} / "
            f"{ten['warehouse_articles']:,} stories | {base['seconds']:.1f} s / {ten['seconds']:.1f} s: "
            f"**{growth['time_ratio']:.2f}x**; peak tree RSS {base['peak_tree_rss_mb']:.0f} / "
            f"{ten['peak_tree_rss_mb']:.0f} MB |"
        )
    full = results["full_reuters"]
    if full:
        lines.append(
            f"| whole Reuters-21578 backfill ({full['articles']} articles) | {full['seconds']:.0f} s, "
            f"{full['articles_per_s']:.1f} articles/s; peak RSS {full['peak_rss_mb']:.0f} MB largest process, "
            f"{full['peak_tree_rss_mb']:.0f} MB whole tree (load average {full['started_load_average']} "
            f"at its start) |"
        )
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    for name, check in results["targets"].items():
        value = "not run" if check["value"] is None else f"{check['value']:.3g}"
        lines.append(f"| {name} | {value} | {'-' if check['met'] is None else 'yes' if check['met'] else 'no'} |")
    return "\n".join(lines) + "\n"


def installed_peer(peer: dict) -> str:
    if "error" in peer:
        return f"not measured ({peer['error'][:120]})"
    versions = ", ".join(f"{name} {version}" for name, version in peer["versions"].items())
    return f"textacy {peer['articles_per_cpu_s']:.1f} articles/CPU-s ({versions}): **{peer['throughput_ratio_per_core']:.2f}x**"


def _ratio(value: float | None) -> str:
    return "peer found none" if value is None else f"{value:.2f}x"


if __name__ == "__main__":
    main()
