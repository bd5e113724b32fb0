"""Ingest: input files to items (RawRecord, Rejected, Skipped), one per input record, with provenance.

Entry points in transforms.ingest.registry (`read_path`, `read_stream`); item types in records; one module per
format in formats; the language detector that the HTML reader and the normaliser share in language.
Below normalise and independent of nlp: may import transforms.schema only.
"""
