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


def test_the_templates_own_words_are_taken_out_however_the_pdf_wrapped_them():
    from qualityfund.domain.similarity import similarity, without_boilerplate

    template = ["一、行动目标准确", "1.说明有无综合性质量服务并有服务事项、服务规范、服务承诺等向社会明示；"]
    a = ("一、行动目标准确\n1.说明有无综合性质量服务并有服务事项、\n服务规范、服务承诺等向社会明示；"
         "本平台为电子信息企业提供计量校准服务，覆盖龙岗区五十家企业。")
    b = ("一、行动目标准确\n1.说明有无综合性质量服务并有服务事项、服务规范、服务承诺等向社会明示；\n"
         "我院面向食品企业开展标准化咨询，帮助三十家企业建立追溯体系。")
    stripped_a, stripped_b = without_boilerplate(a, template), without_boilerplate(b, template)
    assert "行动目标准确" not in stripped_a and "服务承诺等向社会明示" not in stripped_b
    assert "计量校准服务" in stripped_a
    assert similarity(stripped_a, stripped_b) < similarity(a, b)
