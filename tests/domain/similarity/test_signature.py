import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualityfund.domain.similarity import NUM_PERM, signature, similarity
from qualityfund.domain.similarity.signature import RECORD, unpack

from .corpus import A_DIGITAL, A_DIGITAL_AGAIN, B_DIGITAL

report_text = st.text(alphabet=st.sampled_from("质量品牌深圳项目管理数字化创新，。；\n 0123ab"))

_SIGN_IN_A_FRESH_PROCESS = """
import json, sys
from qualityfund.domain.similarity import signature
print(json.dumps([signature(text).hex() for text in json.load(sys.stdin)]))
"""


def test_a_signature_is_one_fixed_size_record_with_the_shingle_count():
    data = signature(A_DIGITAL.text)
    (record,) = unpack(data)
    assert len(data) == RECORD.itemsize == 8 + 4 * NUM_PERM
    assert record["size"] > 500


def test_an_empty_text_has_size_zero():
    (record,) = unpack(signature("，。"))
    assert record["size"] == 0


def test_bytes_of_another_format_are_refused():
    data = bytearray(signature(A_DIGITAL.text))
    data[:4] = b"QFM0"
    with pytest.raises(ValueError, match="signature"):
        unpack(bytes(data))


@pytest.mark.parametrize("other", [A_DIGITAL_AGAIN, B_DIGITAL])
def test_signatures_estimate_the_exact_similarity(other):
    (a,) = unpack(signature(A_DIGITAL.text))
    (b,) = unpack(signature(other.text))
    estimate = (a["hashvalues"] == b["hashvalues"]).mean()
    assert abs(estimate - similarity(A_DIGITAL.text, other.text)) < 0.1


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(report_text, min_size=1, max_size=5), hash_seed=st.integers(0, 2**32 - 1))
def test_signatures_are_the_same_in_another_process(texts, hash_seed):
    """No use of Python's per-process randomised hash(): the bytes are stored in the database."""
    result = subprocess.run(
        [sys.executable, "-c", _SIGN_IN_A_FRESH_PROCESS],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": str(hash_seed)},
    )
    assert json.loads(result.stdout) == [signature(text).hex() for text in texts]
