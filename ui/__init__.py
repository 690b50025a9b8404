"""The chat workspace's presentation: HTML rendering and interface labels (one file per language)."""
