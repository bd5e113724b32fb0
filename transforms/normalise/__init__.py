"""Normalise: raw records to the `articles` and `duplicates` tables, with stable ids and near-duplicate marks.

Above ingest and nlp: may import transforms.ingest, transforms.nlp and transforms.schema.
"""
