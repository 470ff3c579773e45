"""berita: clean, validated, structured Parquet tables from raw Indonesian news pages."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("berita")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
