"""Sample files are generated once per test session and written to a temporary directory."""

import pytest

from qualityfund.domain.inspection import InspectionSpec

from . import samples

PLEDGE = InspectionSpec(seal_required=True, markers=("（单位盖章）",))
SERVICE_REPORT = InspectionSpec(seal_required=True, markers=("申报单位（盖章）",),
                                headings=samples.SERVICE_HEADINGS)
INCUBATION_REPORT = InspectionSpec(seal_required=False, max_chars=30000,
                                   headings=samples.INCUBATION_HEADINGS)


class SampleFiles:
    """Writes each named sample once and hands out its path."""

    def __init__(self, directory):
        self.directory = directory
        self.paths = {}

    def __call__(self, name: str, build, suffix: str = ".pdf") -> str:
        if name not in self.paths:
            path = self.directory / f"{name}{suffix}"
            path.write_bytes(build())
            self.paths[name] = str(path)
        return self.paths[name]


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory) -> SampleFiles:
    return SampleFiles(tmp_path_factory.mktemp("inspection-samples"))
