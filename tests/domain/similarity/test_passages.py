from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from qualityfund.domain.similarity import matching_passages

from .corpus import A_DIGITAL, A_DIGITAL_AGAIN, A_INTRO, F_INNOVATION

report_text = st.text(alphabet=st.sampled_from("质量品牌深圳项目管理数字化创新，。；！\n 0123ab"))


def test_shared_runs_of_sentences_come_out_as_one_passage_side_by_side():
    passages = matching_passages(A_DIGITAL.text, A_DIGITAL_AGAIN.text)
    intro = [p for p in passages if A_INTRO in p.a_excerpt]
    assert len(intro) == 1
    assert A_INTRO in intro[0].b_excerpt
    assert intro[0].similarity > 0.9


def test_reordered_and_edited_sentences_are_still_paired():
    passages = matching_passages(A_DIGITAL.text, A_DIGITAL_AGAIN.text)
    (traceability,) = [p for p in passages if p.a_excerpt.startswith("三是建立")]
    assert traceability.b_excerpt.startswith("四是建立")
    (spc,) = [p for p in passages if "28项关键特性" in p.a_excerpt]
    assert "30项关键特性" in spc.b_excerpt
    assert 0.5 <= spc.similarity < 1.0


def test_unrelated_reports_have_no_matching_passages():
    assert matching_passages(A_DIGITAL.text, F_INNOVATION.text) == []


def test_sentences_shorter_than_min_len_characters_without_punctuation_are_not_matched():
    assert matching_passages("质量第一。", "质量第一。", min_len=4)
    assert matching_passages("质量第一。", "质量第一。", min_len=5) == []


@given(report_text, report_text)
def test_passages_point_at_their_excerpts_in_order_without_overlap(a_text, b_text):
    passages = matching_passages(a_text, b_text, min_len=3)
    for passage in passages:
        assert a_text[passage.a_start : passage.a_end] == passage.a_excerpt
        assert b_text[passage.b_start : passage.b_end] == passage.b_excerpt
        assert 0.5 <= passage.similarity <= 1.0
    for before, after in pairwise(passages):
        assert before.a_end <= after.a_start


@given(report_text)
def test_a_text_matches_itself_wherever_it_has_long_enough_sentences(text):
    for passage in matching_passages(text, text, min_len=3):
        assert (passage.a_start, passage.a_end) == (passage.b_start, passage.b_end)
