import pytest

from qualityfund.domain.similarity import NearDuplicateIndex, signature

from .corpus import A_DIGITAL, A_DIGITAL_AGAIN, B_DIGITAL, D_QI_2024, D_QI_PART_1, E_BRAND

DOCS = [A_DIGITAL, A_DIGITAL_AGAIN, B_DIGITAL, D_QI_2024, D_QI_PART_1, E_BRAND]


def build(docs=DOCS):
    index = NearDuplicateIndex()
    for doc in docs:
        index.add(doc.id, signature(doc.text))
    return index


def ids(results):
    return [doc_id for doc_id, _ in results]


def test_query_returns_near_duplicates_above_the_threshold_most_similar_first():
    results = build().query(signature(A_DIGITAL.text), 0.5)
    assert ids(results) == [A_DIGITAL.id, A_DIGITAL_AGAIN.id]
    assert results[0][1] == 1.0
    assert 0.6 < results[1][1] < 0.9


def test_a_piece_is_found_by_containment_though_not_by_jaccard_similarity():
    index = build()
    piece = signature(D_QI_PART_1.text)
    assert D_QI_2024.id not in ids(index.query(piece, 0.5))
    assert D_QI_2024.id in ids(index.query_containment(piece, 0.5))


def test_add_replaces_and_remove_forgets():
    index = build()
    index.add(A_DIGITAL_AGAIN.id, signature(E_BRAND.text))
    assert ids(index.query(signature(A_DIGITAL.text), 0.5)) == [A_DIGITAL.id]
    index.remove(A_DIGITAL.id)
    assert A_DIGITAL.id not in index
    assert len(index) == len(DOCS) - 1
    assert ids(index.query(signature(A_DIGITAL.text), 0.5)) == []
    assert ids(index.query(signature(E_BRAND.text), 0.9)) == [A_DIGITAL_AGAIN.id, E_BRAND.id]
    with pytest.raises(KeyError):
        index.remove(A_DIGITAL.id)


def test_removing_every_document_in_any_order_leaves_the_others_findable():
    index = build()
    for gone, doc in enumerate(DOCS[::-1]):
        for kept in DOCS[: len(DOCS) - gone]:
            assert ids(index.query(signature(kept.text), 0.99)) == [kept.id]
        index.remove(doc.id)
    assert len(index) == 0
    assert index.query(signature(A_DIGITAL.text), 0.0) == []


def test_bulk_build_equals_adding_one_by_one_and_a_later_duplicate_id_wins():
    pairs = [(doc.id, signature(doc.text)) for doc in DOCS]
    bulk = NearDuplicateIndex.from_signatures([*pairs, (B_DIGITAL.id, signature(E_BRAND.text))])
    one_by_one = build()
    one_by_one.add(B_DIGITAL.id, signature(E_BRAND.text))
    assert len(bulk) == len(one_by_one) == len(DOCS)
    for doc in DOCS:
        query = signature(doc.text)
        assert bulk.query(query, 0.1) == one_by_one.query(query, 0.1)
        assert bulk.query_containment(query, 0.1) == one_by_one.query_containment(query, 0.1)
    bulk.add("new", signature(A_DIGITAL.text))
    assert "new" in ids(bulk.query(signature(A_DIGITAL.text), 0.99))


def test_an_empty_text_matches_nothing_not_even_another_empty_text():
    index = build()
    index.add("empty", signature("。"))
    assert index.query(signature("，"), 0.0) == []
    assert "empty" not in ids(index.query_containment(signature(A_DIGITAL.text), 0.0))
