"""Findings as JSON, for the ``qualityfund precheck FILE [--material KEY]`` command."""

import json

from .isolation import inspect_file_isolated
from .model import InspectionSpec
from .runner import inspect_file


def precheck_json(path, spec: InspectionSpec, isolated: bool = True) -> str:
    """The findings for ``path`` as a JSON list of {check, status, page, message}.

    A command may be pointed at any file, so by default the check runs in a bounded child.
    """
    findings = inspect_file_isolated(path, spec) if isolated else inspect_file(path, spec)
    return json.dumps([finding.as_dict() for finding in findings], ensure_ascii=False, indent=2)
