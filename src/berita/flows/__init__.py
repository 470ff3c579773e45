"""Prefect flows and the IO they wrap; the only place berita touches disk or Prefect."""
