"""Lexicons for spaCy configs: a component's word lists are named in its config, not imported.

``{"@misc": "claimledger.lexicon.v1", "lang": "en"}`` resolves to the validated lexicon of
``claimledger/lexicons/en`` (read once); another language brings its own folder and names it
in the component's config: ``nlp.add_pipe("claimledger_numbers", config={"lexicon":
{"@misc": "claimledger.lexicon_folder.v1", "path": "lexicons/xx"}})``.
Versioned names, as spaCy's own registered functions: a changed signature gets a new version.
"""

from __future__ import annotations

from spacy.util import registry

from ..lexicons import Lexicon, load, load_folder


@registry.misc("claimledger.lexicon.v1")
def lexicon(lang: str) -> Lexicon:
    """All word lists of ``lang`` (a folder of ``claimledger/lexicons``)."""
    return load(lang)


@registry.misc("claimledger.lexicon_folder.v1")
def lexicon_folder(path: str) -> Lexicon:
    """All word lists of the ``*.toml`` files in folder ``path`` (a language's own, outside the package)."""
    return load_folder(path)


@registry.misc("claimledger.words.v1")
def words(lang: str, name: str) -> frozenset[str]:
    """One word list, ``name``, of ``lang``."""
    return load(lang).words(name)


#: The default config value of a component's ``lexicon`` setting.
ENGLISH = {"@misc": "claimledger.lexicon.v1", "lang": "en"}
