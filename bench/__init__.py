"""Benchmark: dataset generator, bare baselines and the load-test runner."""
