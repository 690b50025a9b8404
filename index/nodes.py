"""Paragraphs → llama-index nodes with flat, Chroma-friendly metadata."""
from __future__ import annotations


from llama_index.core.schema import TextNode

from .paragraphs import Paragraph, content_hash
from .sources import Document

SECTION_SEP = " > "


def context(p: Paragraph, doc: Document) -> str:
    """Title and section path: what gives a bare paragraph or sentence its
    context ("Inbreng Nederland" under which agenda item?)."""
    head = doc.title if not p.section else f"{doc.title}\n{SECTION_SEP.join(p.section)}"
    if p.cited_by:  # a footnote: the sentence that cites it says what it is about
        head = f"{head}\n{p.cited_by}"
    if p.around:  # a very short paragraph: read with its neighbours
        head = f"{head}\n{p.around}"
    return f"{head}\n\n"


def embed_text(p: Paragraph, doc: Document) -> str:
    """What the model reads for a paragraph."""
    return context(p, doc) + p.text


def embed_key(p: Paragraph, doc: Document, model_name: str) -> str:
    """Changes whenever the vector would change: text, context or model."""
    return content_hash(f"{model_name}\n{embed_text(p, doc)}")


def to_node(p: Paragraph, doc: Document, model_name: str) -> TextNode:
    metadata = {
        "doc": doc.id,  # not "doc_id": llama-index overwrites that key with its ref_doc_id
        "doc_title": doc.title,
        "reference": doc.reference,
        "publisher": doc.publisher,
        "date": doc.date,
        "language": doc.language,
        "doc_kind": doc.kind,
        "file": doc.file_name,
        "kind": p.kind,
        "section": SECTION_SEP.join(p.section),
        "number": p.number,
        "page": p.page,
        "position": p.position,
        "start": p.start,
        "end": p.end,
        "content_hash": p.content_hash,
        "embed_key": embed_key(p, doc, model_name),
        "footnotes": ",".join(p.footnotes),
        "anchors": ",".join(p.anchors),
        "heads": ",".join(p.heads),
        "cited_by": p.cited_by,
        "role": p.role,
    }
    # what may change without the vector changing (an edit above shifts numbers
    # and offsets): the build rewrites the metadata alone when this differs
    metadata["meta_key"] = content_hash(repr(sorted(metadata.items())))
    return TextNode(
        id_=p.id, text=p.text, metadata=metadata,
        # the vector is computed from embed_text(); keep metadata out of any
        # text llama-index would build itself
        excluded_embed_metadata_keys=list(metadata), excluded_llm_metadata_keys=list(metadata),
    )
