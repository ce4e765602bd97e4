"""Duplicates and splits on the database; one check against 100,000 stored documents."""


import numpy as np
import pytest

from qualityfund.core.funding import similarity
from qualityfund.core.funding.models import SimilarityDocument
from qualityfund.domain.similarity.signature import NUM_PERM, pack
from tests import factories

from .builders import report_pdf, reviewed
from .texts import REPORT_A


def test_report_text_comes_from_the_pdf_text_layer(guide, officer):
    org = factories.make_organisation("深圳市文本层有限公司")
    application = reviewed(guide, org, "innovation", score=80, report_pdf=report_pdf(REPORT_A),
                           officer=officer)
    text = similarity.application_text(application)
    assert "回流焊温度曲线" in text and application.project_name in text


def test_a_piece_of_another_project_of_the_same_organisation_is_a_split(guide, officer):
    org = factories.make_organisation("深圳市分拆样本有限公司")
    lines = REPORT_A.split("\n")
    first = reviewed(guide, org, "innovation", score=80, officer=officer,
                     report_pdf=report_pdf(REPORT_A), name="关键零部件质量攻关")
    second = reviewed(guide, org, "digital", score=79, officer=officer,
                      report_pdf=report_pdf("\n".join(lines[1:3])), name="在线检测推广")
    similarity.store_application(first)
    found = similarity.check(similarity.store_application(second))
    assert [(f.other_key, f.pair.kind) for f in found] == [(f"app-{first.pk}", "split")]
    assert found[0].passages


def test_one_check_against_100000_stored_documents_finds_only_the_real_pair(guide, officer):
    rng = np.random.default_rng(5)
    values = rng.integers(0, 2**32 - 1, size=(100_000, NUM_PERM), dtype=np.uint64)
    rows = [SimilarityDocument(key=f"earlier-synthetic-{i}", org=f"ORG{i % 5000:05d}", year=2023,
                               title="往年项目", text="往年项目", signature=pack(200, values[i]))
            for i in range(100_000)]
    SimilarityDocument.objects.bulk_create(rows, batch_size=5000)
    org = factories.make_organisation("深圳市性能测试有限公司")
    application = reviewed(guide, org, "innovation", score=80, officer=officer,
                           summary=REPORT_A)
    document = similarity.store_application(application)
    assert similarity.check(document) == []  # cold: loads the 100,001 signatures in one query
    assert similarity.check(document) == []  # warm: the cached index
    # The next application of a run: stored, then checked, without reloading the index.
    other = reviewed(guide, factories.make_organisation("深圳市性能测试二有限公司"), "digital",
                     score=80, officer=officer, summary=REPORT_A)
    found = similarity.check(similarity.store_application(other))
    assert [f.other_key for f in found] == [f"app-{application.pk}"]
    assert len(similarity.index()) == 100_002


@pytest.mark.parametrize("text", ["", "短文本"])
def test_short_texts_pair_with_nothing(guide, officer, text):
    org = factories.make_organisation("深圳市短文本有限公司")
    a = reviewed(guide, org, "brand", score=80, officer=officer, name="甲", summary=text)
    b = reviewed(guide, org, "brand", score=79, officer=officer, name="甲", summary=text)
    similarity.store_application(a)
    assert similarity.check(similarity.store_application(b)) == []
