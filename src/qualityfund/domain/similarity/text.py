"""Turning Chinese report text into comparable units: shingles, word tokens and sentences.

Near-duplicate detection compares character 4-grams of the normalised text rather than jieba
words: on the hand-written test corpus they separate true pairs from hard negatives as well as
word bigrams do (see tests/domain/similarity/test_shingling.py), they need no dictionary (jieba's
first load costs about half a second, which would land on the first check of a worker), and a
light edit cannot shift a word boundary and so change shingles far from the edit.
"""

import functools
import logging
import re
import unicodedata

K = 4

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NOT_WORD = re.compile(r"[\W_]+")
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；\n]*")

# Function words too common in application reports to tell two of them apart.
STOPWORDS = frozenset(
    "的 地 得 了 着 过 和 与 及 以及 或 或者 等 等等 在 对 对于 为 为了 是 将 把 被 并 并且 由 到 以 从 "  # noqa: SIM905
    "其 之 而 也 又 于 上 中 后 一 个 各 该 这 那 此 我们 我 其中 通过 进行 实现 开展 有关 相关".split()
)


def normalise(text: str) -> str:
    """Fold width and case, replace every number by 0 and drop punctuation and spaces.

    Numbers are folded because a reused report usually differs from its source in its figures
    (years, amounts, percentages) while the prose around them is unchanged.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    return _NOT_WORD.sub("", _NUMBER.sub("0", text))


def without_boilerplate(text: str, boilerplate: list[str]) -> str:
    """``text`` less every passage of ``boilerplate`` it repeats, line breaks aside.

    Every report of a sub-programme follows the same template (附件2–7): its headings and
    guidance would make two unrelated reports look alike. Each boilerplate string is cut into
    sentences; a sentence of at least six characters is removed wherever the text repeats it,
    however the PDF wrapped it into lines.
    """
    compact = "".join(text.split())
    sentences = {"".join(part.split()).strip("。；：:;")
                 for item in boilerplate for part in _SENTENCE.findall(item)}
    for sentence in sorted((s for s in sentences if len(s) >= 6), key=len, reverse=True):
        compact = compact.replace(sentence, "")
    return compact


def shingles(text: str, k: int = K) -> set[str]:
    """The set of overlapping k-character substrings of the normalised text.

    A text shorter than k (but not empty) is one shingle, so that short texts still compare.
    """
    chars = normalise(text)
    if len(chars) <= k:
        return {chars} if chars else set()
    return {chars[i : i + k] for i in range(len(chars) - k + 1)}


@functools.cache
def _jieba():
    """jieba's tokenizer, loaded on first use only, without its log chatter on stderr.

    jieba keeps its parsed dictionary in a cache file in the temporary directory, so only the
    first process on a machine pays for parsing the dictionary text.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def tokens(text: str) -> list[str]:
    """Chinese words (jieba, precise mode) of the text, without punctuation and stopwords."""
    text = unicodedata.normalize("NFKC", text).lower()
    return [
        word for word in _jieba().lcut(text) if _NOT_WORD.sub("", word) and word not in STOPWORDS
    ]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, split after 。！？； and line breaks, edges trimmed."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        chunk = text[start:end]
        start += len(chunk) - len(chunk.lstrip())
        end -= len(chunk) - len(chunk.rstrip())
        if start < end:
            spans.append((start, end))
    return spans
