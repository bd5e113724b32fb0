"""Data quality: the Great Expectations suites (one JSON file per table) and the validation that splits a batch
into rows that load and rows that go to quarantine.

May import transforms.schema and transforms.normalise; never flows/ or warehouse/.
"""
