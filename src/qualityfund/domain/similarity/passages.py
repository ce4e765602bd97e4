"""Matching passages of two texts, for showing a flagged pair side by side.

Sentences (split after 。！？； and line breaks) are compared on character bigrams, which suit
units this short; each sentence is paired at most once, best match first, and runs of sentences
that follow each other in both texts are merged into one passage.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from qualityfund.domain.similarity.text import normalise, sentence_spans, shingles


@dataclass(frozen=True)
class Passage:
    """a_text[a_start:a_end] == a_excerpt matches b_text[b_start:b_end] == b_excerpt."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_excerpt: str
    b_excerpt: str
    similarity: float


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    bigrams: frozenset[str]


def _sentences(text: str, min_len: int) -> list[_Sentence]:
    out = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if len(normalise(sentence)) >= min_len:
            out.append(_Sentence(start, end, frozenset(shingles(sentence, k=2))))
    return out


def _jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    return len(a & b) / len(a | b)


def matching_passages(
    a_text: str, b_text: str, min_len: int = 10, min_similarity: float = 0.5
) -> list[Passage]:
    """Passages of a_text with their counterparts in b_text, in a_text's order.

    Sentences with fewer than min_len characters (punctuation and spaces not counted) are not
    matched on their own; a pair of sentences matches when their bigram Jaccard similarity is at
    least min_similarity. A passage's similarity is that of all its sentences' bigrams together.
    """
    a_sentences = _sentences(a_text, min_len)
    b_sentences = _sentences(b_text, min_len)
    containing: defaultdict[str, list[int]] = defaultdict(list)
    for j, sentence in enumerate(b_sentences):
        for bigram in sentence.bigrams:
            containing[bigram].append(j)

    candidates = []
    for i, a in enumerate(a_sentences):
        shared = Counter(j for bigram in a.bigrams for j in containing.get(bigram, ()))
        for j, overlap in shared.items():
            score = overlap / (len(a.bigrams) + len(b_sentences[j].bigrams) - overlap)
            if score >= min_similarity:
                candidates.append((-score, i, j))
    pairs = sorted(_assign(candidates))

    runs: list[list[tuple[int, int]]] = []
    for i, j in pairs:
        if runs and runs[-1][-1] == (i - 1, j - 1):
            runs[-1].append((i, j))
        else:
            runs.append([(i, j)])
    return [_passage(a_text, b_text, a_sentences, b_sentences, run) for run in runs]


def _assign(candidates: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing of (-score, i, j) candidates, best score first."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def _passage(
    a_text: str,
    b_text: str,
    a_sentences: list[_Sentence],
    b_sentences: list[_Sentence],
    run: list[tuple[int, int]],
) -> Passage:
    a_first, a_last = a_sentences[run[0][0]], a_sentences[run[-1][0]]
    b_first, b_last = b_sentences[run[0][1]], b_sentences[run[-1][1]]
    a_bigrams = set().union(*(a_sentences[i].bigrams for i, _ in run))
    b_bigrams = set().union(*(b_sentences[j].bigrams for _, j in run))
    return Passage(
        a_start=a_first.start,
        a_end=a_last.end,
        b_start=b_first.start,
        b_end=b_last.end,
        a_excerpt=a_text[a_first.start : a_last.end],
        b_excerpt=b_text[b_first.start : b_last.end],
        similarity=_jaccard(a_bigrams, b_bigrams),
    )
