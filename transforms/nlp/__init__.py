"""NLP: the spaCy pipeline (loading, in loading; its inference speed-ups, in inference; its use of the allocator, in
memory) and what the quote and event rules read from a parsed Doc (per-document facts in docfacts, parse facts
such as passives in syntax).

Independent of ingest and normalise: may import transforms.schema only.
"""
