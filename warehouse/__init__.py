"""Storage: the Parquet lake (lake), the DuckDB warehouse loaded from it (load, with its SQL in sql/), a rebuild
of the warehouse from the lake (rebuild) and what `wirehouse status` reads (status).

May import transforms.schema (the table contract); never flows/.
"""
