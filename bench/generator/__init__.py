"""Fill an empty database with a realistic newsroom archive, fast (see `bench.generate`)."""

from bench.generator.archive import Generator, generate
from bench.generator.database import rebuild_search_index, reset_content
from bench.generator.scraped import write_scraped_files
from bench.generator.words import BENCH_USERNAME

__all__ = [
    "BENCH_USERNAME",
    "Generator",
    "generate",
    "rebuild_search_index",
    "reset_content",
    "write_scraped_files",
]
