"""Evaluation and benchmarks: drives ``assistant`` like any other client."""
