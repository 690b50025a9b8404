"""Ingestion: sources → paragraphs → nodes → embeddings → Chroma.

Importing the package makes the process offline first (see ``offline``).
"""
from . import offline  # noqa: F401  (must precede the heavy imports below it)
from settings import Settings

__all__ = ["Settings"]
