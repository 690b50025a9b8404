"""Keep every library of the stack offline and silent.

Must run before transformers, sentence-transformers, huggingface_hub, chromadb,
onnxruntime, openvino or gradio are imported: several read these variables at import time. Each one
closes a leak seen on this stack (hub look-ups and retries, gradio's version
check and analytics, huggingface/chroma telemetry). Do not set NLTK_DATA or
TIKTOKEN_CACHE_DIR: llama-index ships those files and the variables would make
it try to download them.
"""
import os
import sys

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    # ONNX Runtime (>= 1.29) sends usage events to Microsoft from Linux too, at
    # exit (mobile.events.data.microsoft.com, seen by the strace privacy test)
    # and keeps a device id and an offline cache; this, set before it starts,
    # is its full opt-out (disable_telemetry_events() did not stop the upload)
    "ORT_DISABLE_TELEMETRY": "1",
    # tokenizers forks worker threads that then warn on every fork (gradio, tests)
    "TOKENIZERS_PARALLELISM": "false",
    # a user sees answers, not library load reports and weight-loading bars
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def apply() -> None:
    """Force the offline variables; a user's own value cannot re-open the network."""
    os.environ.update(OFFLINE_ENV)
    # `import openvino` sends an event to Google Analytics (www.google-analytics.com, seen by
    # tests/test_offline.py's audit of a build) through openvino-telemetry, a dependency pip
    # installs with it, unless a consent file in the user's home says no. openvino falls back
    # to its own no-op stub when that package cannot be imported: make it so in this process.
    sys.modules.setdefault("openvino_telemetry", None)


apply()
