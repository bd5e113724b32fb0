"""Across articles: the same statement (quote_clusters) and the same real-world event (event_clusters) reported
by many articles, decided from a batch's rows and the warehouse rows that may join them (warehouse/candidates.py).
Pure functions over polars frames; every link keeps the rows it joins, so each can be audited to its characters.
"""
