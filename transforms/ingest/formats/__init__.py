"""One reader module per input format: text, json, html, warc, archives (tar and zip).

Each reader turns a binary stream into items (transforms.ingest.records); which suffix goes to which reader is
decided in transforms.ingest.registry, not here.
"""
