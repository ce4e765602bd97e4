from qualityfund.domain.similarity import shingles, tokens
from qualityfund.domain.similarity.text import normalise, sentence_spans


def test_normalise_folds_width_case_and_numbers_and_drops_punctuation():
    assert normalise("ＱＭＳ系统，2024年提升１５.５%！") == "qms系统0年提升0"


def test_shingles_are_overlapping_four_character_substrings():
    assert shingles("质量品牌，专项") == {"质量品牌", "量品牌专", "品牌专项"}


def test_a_text_shorter_than_k_is_one_shingle_and_punctuation_alone_is_none():
    assert shingles("质量") == {"质量"}
    assert shingles("，。！ \n") == set()


def test_shingles_ignore_changed_figures():
    assert shingles("不良率由2.1%下降到0.8%") == shingles("不良率由3%下降到0.5%")


def test_tokens_are_chinese_words_without_punctuation_or_stopwords():
    assert tokens("公司通过建设质量管理系统，实现了数据的采集。") == [
        "公司",
        "建设",
        "质量",
        "管理系统",
        "数据",
        "采集",
    ]


def test_sentence_spans_split_after_chinese_sentence_marks_and_line_breaks():
    text = "项目名称\n一是建设平台；二是培训人员。成效如何？  很好！"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "项目名称",
        "一是建设平台；",
        "二是培训人员。",
        "成效如何？",
        "很好！",
    ]
