"""Retrieve the paragraphs that answer a question: hybrid search.

Signals rank the paragraphs: the dense paragraph vector, the best-matching
sentence vector of each paragraph, BM25 over Dutch stems, and the vector and
BM25 of each paragraph's English rendering. Each becomes z-scores over the
union of candidates, summed with per-language ``FusionWeights``. Score fusion
beat reciprocal rank fusion on the benchmark: ranks discard how far ahead the
best paragraph is, which matters when only one or two paragraphs hold the
answer. Everything is read through ``index.store.ParagraphStore``."""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, replace

import numpy as np

from index.roles import block_roles, demoted_roles, kind_role, role_boosts
from index.sentences import split_sentences
from index.store import ParagraphStore, Record
from settings import FusionWeights, Tuned

from .coverage import named_only_in
from .filters import allowed, where
from .links import asks_for_link, bare_link
from .ordinal import item_of, section_title, under
from .types import Passage, SentenceHit


def _z(values: np.ndarray) -> np.ndarray:
    sd = values.std()
    return (values - values.mean()) / sd if sd > 1e-9 else np.zeros_like(values)


@dataclass
class Query:
    """The text searched with and its embedding (one embedding for every dense signal)."""

    text: str
    vector: np.ndarray


class _Recent(OrderedDict):
    """At most ``size`` entries; the least recently used go first."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def take(self, key):
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def keep(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)

    def many(self, keys: list, read) -> dict:
        """The values of ``keys``: those kept, and the rest read (``read(missing)
        -> dict``) and kept. Returned from here, never read back: a question
        with more keys than fit, or another question, may evict them meanwhile."""
        out = {k: v for k in keys if (v := self.take(k)) is not None}
        missing = [k for k in keys if k not in out]
        if missing:
            for k, v in read(missing).items():
                self.keep(k, v)
                out[k] = v
        return out


class Retriever:
    """One per opened index: what it reads from the store by id (sentence
    vectors, paragraphs found by BM25 or the English signal) is kept for the
    next question, since the index does not change under it (a changed index
    is reopened, with a new retriever)."""

    def __init__(self, store: ParagraphStore, top_k: int, lexical=None, lexical_en=None, cached: int = Tuned.CACHED):
        self.store = store
        self.top_k = top_k
        self.lexical = lexical  # index.lexical.LexicalIndex; None: dense only
        self.lexical_en = lexical_en  # BM25 over the English renderings
        self._publishers: dict[str, str] | None = None  # document id → publisher, read once
        self._doc_kinds: dict[str, str] | None = None  # document id → kind, read once
        self._cards: list[tuple[str, str, dict]] | None = None  # (id, role, metadata) of each block paragraph, found once
        self._sentences = _Recent(cached)  # (paragraph id, its text) → [(meta, vector)] of its sentences
        self._records = _Recent(cached)  # paragraph id → its Record (text and metadata)
        self._vectors = _Recent(cached)  # paragraph id → its vector (for candidates the dense search did not score)
        self._rendered = _Recent(cached)  # sentence id → (language, vector) of its rendering, or () for none

    def dense(self, query: Query, filters: dict | None = None, top_k: int | None = None) -> list[Passage]:
        """The nearest paragraphs by their vector: ids and cosines from the
        store, texts from what this index read before."""
        near = self.store.nearest(query.vector, top_k or self.top_k, where(filters))
        records = self._read(list(near))
        return [passage(Record(i, records[i].text, records[i].meta, c)) for i, c in near.items() if i in records]

    def _read(self, ids: list[str]) -> dict[str, Record]:
        """Paragraph records by id, read from the store once per opened index."""
        return self._records.many(ids, self.store.get)

    def retrieve(self, query: Query, filters: dict | None = None, top_k: int | None = None,
                 weights: FusionWeights = FusionWeights(), sentences: bool = False,
                 roles: tuple[str, ...] = (), role_boost: float = 0.0,
                 number: int | None = None, prefer: Collection[str] = (),
                 lang: str = "", typed=None) -> tuple[list[Passage], list[SentenceHit]]:
        """``(passages, hits)``: the top ``top_k`` paragraphs by fused score, and,
        with ``sentences``, every sentence of those paragraphs with its cosine
        (what the quotes answer quotes from). ``Passage.score`` stays the dense
        cosine (refusal). ``roles``: the section roles the question asks for, and
        ranked up (the contact role, unless asked, down) by ``role_boost``;
        ``number``: the list item it names by its ordinal ("the second
        recommendation"), placed where its lead-in ranked (``_with_heads``); ``lang``: the asker's,
        whose rendering of a sentence the hits also score (``as_read_in``); ``typed(text)``: does a
        paragraph hold what the answer type wants (a place for "where"), ranked up by ``Tuned.TYPED_RANK``."""
        top_k = top_k or self.top_k
        w = FusionWeights(*weights)
        if self.store.english is None or self.lexical_en is None:
            w = w._replace(dense_en=0.0, bm25_en=0.0)
        if self.lexical is None or not (w.sentence or w.bm25 or w.dense_en or w.bm25_en):
            passages = self.dense(query, filters, top_k)
            return passages, (self.as_read_in(lang, query.vector, self.sentence_hits(query.vector, passages))
                              if sentences else [])
        pool = max(Tuned.POOL_FACTOR * top_k, Tuned.POOL_MIN)
        dense, signals = self._signals(query, filters, pool, w)
        candidates = list(dense)
        if not candidates:
            return [], []
        # the sentence signal reranks the candidates: scoring all their
        # sentences is exact (an open HNSW query for 60 of all sentences was
        # approximate and changed from one process to the next)
        hits = self.sentence_hits(query.vector, list(dense.values())) if (w.sentence or sentences) else []
        fused = self._fuse(candidates, dense, hits, signals, w)
        if role_boost:
            demoted = demoted_roles() - set(roles)
            named = named_only_in(query.text, dense.values(), demoted)
            # ... and a block holding what the answer type wants is not demoted ("Wie is de minister van OCW?":
            # the signature names him)
            if typed is not None and Tuned.TYPED_BLOCKS:
                named |= {i for i in candidates if dense[i].role in demoted and typed(dense[i].text)}
            boosts = role_boosts()
            fused += role_boost * np.array([float(dense[i].role in roles) * boosts.get(dense[i].role, 1.0)
                                            - float(dense[i].role in demoted and i not in named)
                                            for i in candidates]) * (fused.std() or 1.0)
            # a block asked for by name ("Wie heeft de brief ondertekend?": the signature) comes
            # first: its words ("De Minister van …, R.H. Dijkgraaf") never hold the question's
            blocks = set(roles) & block_roles()
            # (of the document the question names, when it names one: "When was the press release
            # published?" is the press release's header card, not the letter's)
            if blocks:
                fused += (fused.max() - fused.min() + 1.0) * np.array(
                    [float(dense[i].role in blocks and (not prefer or dense[i].doc_id in prefer)) for i in candidates])
        if Tuned.BARE_LINKS and not asks_for_link(query.text):  # a bare URL ranks on the sentence citing it
            fused -= Tuned.BARE_LINKS * (fused.std() or 1.0) * np.array([float(bare_link(dense[i].text))
                                                                         for i in candidates])
        if Tuned.SECTION_TITLES:  # a section's title: its words are in the section path of each paragraph under it
            listed = {h for p in dense.values() for h in p.heads}
            fused -= Tuned.SECTION_TITLES * (fused.std() or 1.0) * np.array(
                [float(section_title(dense[i], listed)) for i in candidates])
        if typed is not None and Tuned.TYPED_RANK:  # "Where is the Council held?": the paragraphs that name a place
            fused += Tuned.TYPED_RANK * (fused.std() or 1.0) * np.array([float(typed(dense[i].text)) for i in candidates])
        if prefer:
            fused += Tuned.SPEAKER_BOOST * (fused.std() or 1.0) * np.array([float(dense[i].doc_id in prefer) for i in candidates])
        ranked = np.argsort(-fused, kind="stable")
        top = [dense[candidates[j]] for j in ranked[:top_k]]
        if role_boost:
            top = self._with_cards(top, set(roles) & block_roles(), filters, prefer, query.vector)[:top_k]
        if number and not any(item_of(number, p.heads) for p in top):
            # "NEMO's second recommendation": the lead-in of a list that long, however far down it
            # ranked (the paragraphs that name NEMO outranked it), so its n-th item can be found
            lead = [p for p in (dense[candidates[j]] for j in ranked[top_k:]) if item_of(number, p.heads)][:1]
            # ... or outside the candidates: "Met welke waarden moet die …?" after "En wat zegt NEMO over de derde?"
            far = self._lead_in(query, filters, number) if Tuned.LEAD_IN_ANYWHERE and not lead else []
            if Tuned.LEAD_IN_SAME_DOC:
                # ... of a document the question's paragraphs come from: "Wat doet het eerste?" after the
                # letter's Groeifonds programmes is not NEMO's first recommendation
                far = [p for p in far if any(t.doc_id == p.doc_id for t in top)]
            top += lead or far
        passages = self._with_heads(top, dense, query.vector, number)
        if not sentences:
            return passages, []
        chosen = {p.id for p in passages}
        extra = [p for p in passages if p.id not in dense]  # headings brought in by their lead-in
        hits = [h for h in hits if h.para_id in chosen] + self.sentence_hits(query.vector, extra)
        return passages, self.as_read_in(lang, query.vector, hits)

    def _signals(self, query: Query, filters, pool: int, w: FusionWeights):
        """The candidates (id → Passage with its dense cosine, in order of first
        appearance) and each lexical or English signal's scores."""
        keep = allowed(filters)
        dense = {p.id: p for p in self.dense(query, filters, pool)}
        lex = dict(self.lexical.search(query.text, pool, self.lexical.mask(keep))) if w.bm25 else {}
        den: dict[str, float] = {}
        if w.dense_en:
            ok = None if keep is None else {i for i, m in zip(self.lexical.ids, self.lexical.meta) if keep(m)}
            den = {i: c for i, c in self.store.search_english(query.vector, pool).items() if ok is None or i in ok}
        len_ = dict(self.lexical_en.search(query.text, pool, self.lexical_en.mask(keep))) if w.bm25_en else {}
        order = list(dict.fromkeys([*dense, *lex, *den, *len_]))
        missing = [i for i in order if i not in dense]
        if missing:
            dense.update(self._fetch(missing, query.vector))
        for i, c in den.items():  # the rendering's cosine: refusal looks at both (Passage.rendered)
            if i in dense:
                dense[i] = replace(dense[i], rendered=round(float(c), 4))
        return {i: dense[i] for i in order if i in dense}, {"bm25": lex, "dense_en": den, "bm25_en": len_}

    def _fetch(self, ids: list[str], query_vec) -> dict[str, Passage]:
        """Paragraphs by id with their cosine to the query (read once, then kept)."""
        vectors = self._vectors.many(ids, self.store.vectors)
        records = self._read(ids)
        q = np.asarray(query_vec, dtype=np.float32)
        return {i: passage(Record(i, records[i].text, records[i].meta, float(np.dot(vectors[i], q))))
                for i in ids if i in records and i in vectors}

    @staticmethod
    def _fuse(candidates: list[str], dense: dict[str, Passage], hits: list[SentenceHit], signals: dict,
              w: FusionWeights) -> np.ndarray:
        sent: dict[str, float] = {}
        for hit in hits:
            sent[hit.para_id] = max(sent.get(hit.para_id, -1.0), hit.score)
        # a paragraph none of whose sentences came up ranks as the weakest that did
        floor = min(sent.values(), default=0.0)
        fused = (w.dense * _z(np.array([dense[i].score for i in candidates]))
                 + w.sentence * _z(np.array([sent.get(i, floor) for i in candidates]))
                 + w.bm25 * _z(np.array([signals["bm25"].get(i, 0.0) for i in candidates])))
        if w.dense_en:
            den = signals["dense_en"]
            floor = min(den.values(), default=0.0)
            fused += w.dense_en * _z(np.array([den.get(i, floor) for i in candidates]))
        if w.bm25_en:
            fused += w.bm25_en * _z(np.array([signals["bm25_en"].get(i, 0.0) for i in candidates]))
        return fused

    def _lead_in(self, query: Query, filters: dict | None, number: int) -> list[Passage]:
        """The nearest lead-in of a list at least ``number`` long, among the lead-ins alone."""
        only = {"heads": {"$ne": ""}}
        near = self.store.nearest(query.vector, 3, {"$and": [where(filters), only]} if filters else only)
        records = self._read(list(near))
        found = [passage(Record(i, records[i].text, records[i].meta, c)) for i, c in near.items() if i in records]
        return [p for p in found if item_of(number, p.heads)][:1]

    def _with_heads(self, passages: list[Passage], known: dict[str, Passage], query_vec,
                    number: int | None = None) -> list[Passage]:
        """A lead-in ("De drie aanbevelingen …:") is followed by the headings it
        introduces, wherever they ranked: together they are the list. A question
        for one item of it ("the second recommendation", ``number``) gets that
        heading and the paragraphs under it first, where the lead-in ranked."""
        wanted = [h for p in passages for h in p.heads]
        if not wanted:
            return passages
        items: dict[str, list[str]] = {}  # lead-in id → the asked item: its heading, then its paragraphs
        for p in passages:
            head = item_of(number, p.heads)
            if head:
                items[p.id] = [head, *self._under(head)]
        missing = [h for h in wanted + [i for ids in items.values() for i in ids] if h not in known]
        if missing:
            known = {**known, **self._fetch(missing, query_vec)}
        out: list[Passage] = []
        seen: set[str] = set()
        for p in passages:
            for q in [*(known[i] for i in items.get(p.id, []) if i in known), p,
                      *(known[h] for h in p.heads if h in known)]:
                if q.id not in seen:
                    seen.add(q.id)
                    out.append(q)
        return out

    def _with_cards(self, top: list[Passage], blocks: set[str], filters, prefer, query_vec) -> list[Passage]:
        """A question for a document's header card ("When was the letter written?": its date) gets
        the card of the document it names (or of each), first, however far down its words ranked it:
        a card ("Kamerbrief | Ministerie van OCW | 22 april 2024 | …") shares no word with the question.
        Another block asked for (the contact block) that no candidate holds is brought in the same way,
        the nearest document's block first, each block's paragraphs in their order."""
        if not blocks or self.lexical is None:
            return top
        header = kind_role("header")
        if self._cards is None:  # one pass over the ids per opened index, not per question
            known = block_roles()
            self._cards = [(i, header if i.endswith("#header") else m.get("role", ""), m)
                           for i, m in zip(self.lexical.ids, self.lexical.meta)
                           if i.endswith("#header") or m.get("role") in known]
        keep = allowed(filters)
        have = {p.id for p in top}
        held = {p.role for p in top}
        wanted = {header} & blocks
        if Tuned.BLOCKS_ANYWHERE:  # an older index keeps no role in the lexical metadata: header cards alone
            wanted |= blocks - held - {header}
        ids = [i for i, role, m in self._cards if role in wanted and i not in have
               and (not prefer or m.get("doc") in prefer) and (keep is None or keep(m))]
        if not ids:
            return top
        fetched = self._fetch(ids, query_vec)
        cards = [fetched[i] for i in ids if i in fetched and i.endswith("#header")]
        rest = [fetched[i] for i in ids if i in fetched and not i.endswith("#header")]
        nearest = {}  # document → its block paragraphs' best cosine
        for p in rest:
            nearest[p.doc_id] = max(nearest.get(p.doc_id, -1.0), p.score)
        rest.sort(key=lambda p: -nearest[p.doc_id])  # stable: a block's paragraphs keep their order
        return cards + rest + top

    def publishers(self) -> dict[str, str]:
        """Document id → its publisher, from what the lexical index holds (read once)."""
        if self._publishers is None:
            meta = self.lexical.meta if self.lexical is not None else []
            self._publishers = {m.get("doc", ""): m.get("publisher") or "" for m in meta}
        return self._publishers

    def doc_kinds(self) -> dict[str, str]:
        """Document id → its kind ("Kamerbrief", "persbericht"), read once like the publishers."""
        if self._doc_kinds is None:
            meta = self.lexical.meta if self.lexical is not None else []
            self._doc_kinds = {m.get("doc", ""): m.get("doc_kind") or "" for m in meta}
        return self._doc_kinds

    def _under(self, heading_id: str) -> list[str]:
        """The paragraphs of a heading unit's own section ("doc#slug/h" → "doc#slug/p1", …), in order."""
        return under(heading_id, self.lexical.ids) if self.lexical is not None else []

    def sentence_hits(self, query_vec, passages: list[Passage]) -> list[SentenceHit]:
        """Every sentence of ``passages`` with its cosine to the query, best first."""
        if self.store.sentences is None or not passages:
            return []
        # keyed by the text too: a paragraph's sentences are where this split of its text puts them
        got = self._sentences.many([(p.id, p.text) for p in passages], self._read_sentences)
        rows = [row for p in passages for row in got.get((p.id, p.text), [])]
        if not rows:
            return []
        cos = np.stack([e for _, e in rows]) @ np.asarray(query_vec, dtype=np.float32)
        hits = [SentenceHit(m["para_id"], int(m["start"]), int(m["end"]), round(float(c), 4), m.get("id", ""))
                for (m, _), c in zip(rows, cos)]
        return sorted(hits, key=lambda h: -h.score)

    def as_read_in(self, lang: str, query_vec, hits: list[SentenceHit]) -> list[SentenceHit]:
        """``hits`` scored also on their rendering in the asker's language (``lang``): each the better
        of its own cosine and its rendering's less ``Tuned.RENDERED_SENTENCE_OFFSET``, best first.
        Across languages cosines run low and close together: "Who attends the culture part of the
        Council?" quoted the presidency's conclusions on culture before the sentence naming who attends.
        Only the quotes' scores: the paragraphs' fused ranking stays as it was."""
        if not lang or not Tuned.RENDERED_SENTENCE or self.store.rendered is None or not hits:
            return sorted(hits, key=lambda h: -h.score)
        got = self._rendered.many([h.sid for h in hits if h.sid], self._read_rendered)
        q = np.asarray(query_vec, dtype=np.float32)
        out = []
        for h in hits:
            row = got.get(h.sid)
            if row and row[0] == lang:
                h = replace(h, score=round(max(h.score, float(row[1] @ q) - Tuned.RENDERED_SENTENCE_OFFSET), 4))
            out.append(h)
        return sorted(out, key=lambda h: -h.score)

    def _read_rendered(self, ids: list[str]) -> dict[str, tuple]:
        got = self.store.rendered_rows(ids)
        return {i: got.get(i, ()) for i in ids}  # () kept too: a sentence without one is not asked again

    def _read_sentences(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list]:
        """The sentences of the paragraphs ``keys`` (id, text), read by id ("<paragraph>~s<k>", as
        index.build names them). A query filtered by paragraph did the same
        but cost 435 ms at 285k sentences (Chroma filters in SQLite first)."""
        spans = {f"{pid}~s{k}": (pid, span) for pid, text in keys
                 for k, span in enumerate(split_sentences(text), start=1)}
        got = self.store.sentence_rows(ids=list(spans))
        right = {m["id"] for m, _ in got if (m["start"], m["end"]) == spans[m["id"]][1]}
        # an index split by another version of the splitter: a paragraph with a
        # sentence missing or not where this split puts it is read by paragraph id
        lost = list(dict.fromkeys(pid for i, (pid, _) in spans.items() if i not in right))
        rows = [(m, np.asarray(e, dtype=np.float32)) for m, e in got if m["para_id"] not in lost]
        if lost:
            rows += [(m, np.asarray(e, dtype=np.float32)) for m, e in self.store.sentence_rows(para_ids=lost)]
        by_para: dict[str, list] = {pid: [] for pid, _ in keys}
        for m, e in rows:
            by_para.setdefault(m["para_id"], []).append((m, e))
        return {(pid, text): by_para[pid] for pid, text in keys}


def neighbours(store: ParagraphStore, doc_id: str, number: int, around: int = 1) -> tuple[list[Passage], list[Passage]]:
    """The paragraphs just before and after paragraph ``number`` of a document,
    read from the store (so documents added later have them too)."""
    wanted = [n for n in range(number - around, number + around + 1) if n != number and n > 0]
    if not wanted:
        return [], []
    found = sorted((passage(r) for r in store.in_document(doc_id, wanted)), key=lambda p: p.number)
    return [p for p in found if p.number < number], [p for p in found if p.number > number]


def referring(store: ParagraphStore, para_id: str) -> list[Passage]:
    """For a footnote: the paragraphs that refer to it (empty for any other paragraph)."""
    own = store.get([para_id]).get(para_id)
    anchors = [a for a in ((own.meta if own else {}).get("anchors") or "").split(",") if a]
    if not anchors:
        return []
    found = store.get(anchors)
    return [passage(found[a]) for a in anchors if a in found]


def passage(r: Record) -> Passage:
    """A stored paragraph record as the answering stages use it."""
    m = r.meta
    return Passage(
        id=r.id, text=r.text, score=round(r.score, 4),
        doc_id=m.get("doc", ""), doc_title=m.get("doc_title", ""), reference=m.get("reference", ""),
        section=m.get("section", ""), file=m.get("file", ""), kind=m.get("kind", "paragraph"),
        date=m.get("date", ""), publisher=m.get("publisher", ""), doc_kind=m.get("doc_kind", ""),
        number=int(m.get("number") or 0),
        start=int(m.get("start") or 0), end=int(m.get("end") or 0),
        footnotes=tuple(f for f in (m.get("footnotes") or "").split(",") if f), page=int(m.get("page") or 0),
        role=m.get("role") or "", heads=tuple(h for h in (m.get("heads") or "").split(",") if h),
        cited_by=m.get("cited_by") or "",
    )
