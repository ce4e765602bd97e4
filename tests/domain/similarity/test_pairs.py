from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.similarity import (
    NearDuplicateIndex,
    Pair,
    check_one,
    find_pairs,
    signature,
    similarity,
)

from .corpus import (
    A_BRAND,
    A_DIGITAL,
    B_DIGITAL,
    C_INNOVATION,
    CURRENT,
    EARLIER,
    EXPECTED,
    F_INNOVATION,
    ORG_B,
)

report_text = st.text(alphabet=st.sampled_from("质量品牌深圳项目管理数字化创新，。；\n 0123ab"))


def index_of(docs):
    return NearDuplicateIndex.from_signatures((doc.id, signature(doc.text)) for doc in docs)


def test_find_pairs_reports_exactly_the_expected_pairs_and_kinds():
    pairs = find_pairs(CURRENT, EARLIER)
    assert {(pair.a, pair.b): pair.kind for pair in pairs} == EXPECTED


def test_pairs_carry_exact_figures_highest_containment_first():
    pairs = find_pairs(CURRENT, EARLIER)
    by_id = {doc.id: doc for doc in CURRENT + EARLIER}
    for pair in pairs:
        assert pair.a < pair.b
        assert pair.similarity == similarity(by_id[pair.a].text, by_id[pair.b].text)
        assert pair.similarity <= pair.containment
    assert [pair.containment for pair in pairs] == sorted(
        (pair.containment for pair in pairs), reverse=True
    )


def test_a_split_without_the_whole_on_file_is_found_from_the_shared_plan():
    (pair,) = [p for p in find_pairs(CURRENT) if p.a.startswith("h-")]
    assert (pair.kind, pair.whole) == ("split", None)
    assert pair.similarity < 0.5 <= pair.containment


def test_a_split_of_a_funded_project_names_the_whole():
    (pair,) = [
        p for p in find_pairs(CURRENT, EARLIER) if p.kind == "split" and p.a.startswith("d-")
    ]
    assert pair == Pair(
        "d-qi-metrology-2025",
        "d-qi-testing-2025",
        pair.similarity,
        "split",
        pair.containment,
        whole="d-funded-2024",
    )
    assert pair.containment < 0.5  # the pieces alone would not be flagged


def test_without_the_funded_project_its_pieces_are_not_flagged():
    assert not [p for p in find_pairs(CURRENT) if p.a.startswith("d-")]


def test_unrelated_projects_in_the_same_field_are_not_paired():
    assert find_pairs([A_DIGITAL, B_DIGITAL, C_INNOVATION, F_INNOVATION]) == []


def test_one_organisations_different_projects_sharing_its_introduction_are_not_paired():
    assert find_pairs([A_DIGITAL, A_BRAND]) == []


def test_a_piece_of_a_project_is_a_split_a_duplicate_or_similar_by_whose_and_when():
    text = A_DIGITAL.text
    piece = replace(
        A_DIGITAL, id="piece", text=text[text.index("实施内容") : text.index("实施成效")]
    )
    (pair,) = find_pairs([A_DIGITAL, piece])
    assert (pair.kind, pair.containment) == ("split", 1.0)
    most = replace(piece, text=text[: text.index("四是")])
    assert find_pairs([A_DIGITAL, most])[0].kind == "duplicate"  # three quarters of it
    (pair,) = find_pairs([piece], earlier=[replace(A_DIGITAL, year=2024)])
    assert pair.kind == "duplicate"
    (pair,) = find_pairs([A_DIGITAL, replace(piece, org=ORG_B)])
    assert pair.kind == "similar"


def test_the_threshold_decides_what_is_listed():
    assert find_pairs(CURRENT, EARLIER, threshold=0.95) == []
    assert len(find_pairs(CURRENT, EARLIER, threshold=0.3)) > len(EXPECTED)


def test_texts_too_short_to_judge_are_never_paired():
    short = replace(A_DIGITAL, text="质量管理数字化再造项目")
    assert find_pairs([short, replace(short, id="again")]) == []


def test_check_one_agrees_with_find_pairs_and_never_pairs_a_document_with_itself():
    index = index_of(CURRENT + EARLIER)
    by_id = {doc.id: doc for doc in CURRENT + EARLIER}
    everything = set(find_pairs(CURRENT, EARLIER))
    for doc in CURRENT:
        found = check_one(doc, index, by_id, 0.5)
        assert all(doc.id in (pair.a, pair.b) and pair.a != pair.b for pair in found)
        assert set(found) == {pair for pair in everything if doc.id in (pair.a, pair.b)}


@given(report_text, report_text)
def test_similarity_is_symmetric_and_between_zero_and_one(a, b):
    assert 0.0 <= similarity(a, b) == similarity(b, a) <= 1.0


@given(report_text)
def test_a_text_is_identical_to_itself(text):
    assert similarity(text, text) == 1.0
