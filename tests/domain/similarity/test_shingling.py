"""The evidence for comparing character 4-grams rather than jieba words (see text.py)."""

from itertools import combinations

from qualityfund.domain.similarity import shingles, tokens

from .corpus import CURRENT, EARLIER, EXPECTED

# Found only through the funded whole both came from: the pieces alone overlap too little.
FOUND_THROUGH_A_WHOLE = ("d-qi-metrology-2025", "d-qi-testing-2025")


def word_bigrams(text: str) -> set[str]:
    words = tokens(text)
    return {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}


def separation(shingle_set) -> tuple[float, float]:
    """(lowest containment of a pair that must be found, highest of a pair that must not)."""
    sets = {doc.id: shingle_set(doc.text) for doc in CURRENT + EARLIER}
    earlier = {doc.id for doc in EARLIER}
    found, not_found = [], []
    for a, b in combinations(sorted(sets), 2):
        if {a, b} <= earlier or (a, b) == FOUND_THROUGH_A_WHOLE:
            continue
        containment = len(sets[a] & sets[b]) / min(len(sets[a]), len(sets[b]))
        (found if (a, b) in EXPECTED else not_found).append(containment)
    return min(found), max(not_found)


def test_character_four_grams_leave_a_wide_gap_around_the_default_threshold():
    lowest_found, highest_not_found = separation(shingles)
    assert highest_not_found < 0.4
    assert lowest_found > 0.6


def test_character_four_grams_separate_about_as_well_as_jieba_word_bigrams():
    chars_found, chars_not_found = separation(shingles)
    words_found, words_not_found = separation(word_bigrams)
    print(
        f"\ncontainment of true pairs ≥ {chars_found:.2f}, of others ≤ {chars_not_found:.2f}"
        f" (word bigrams: ≥ {words_found:.2f}, ≤ {words_not_found:.2f})"
    )
    assert chars_found / chars_not_found > 0.9 * words_found / words_not_found
