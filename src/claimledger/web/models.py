"""Pydantic models of the HTTP API's requests and responses: they are the OpenAPI document.

Handlers return plain JSON (built from the ledger rows) rather than model instances, so a page
of 1,000 rows costs no validation; the schema tests (schemathesis) check that the JSON conforms.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class DocumentSummary(BaseModel):
    id: str
    source: str
    title: str | None
    url: str | None
    published: str | None
    outlet: str | None
    status: str
    cluster_id: str | None
    version: int


class DocumentsPage(BaseModel):
    items: list[DocumentSummary]
    next: str | None = Field(description="cursor of the next page; null on the last page")


class SearchHit(DocumentSummary):
    snippet: str | None = Field(description="matching passage, hits between [ and ]")


class SearchPage(BaseModel):
    items: list[SearchHit]
    next: str | None


class ErrorItemOut(BaseModel):
    code: str
    message: str


class SectionOut(BaseModel):
    kind: str
    start: int
    end: int
    text: str


class SpeakerOut(BaseModel):
    id: str
    name: str | None
    type: str
    description: str | None
    role: str | None
    affiliation: str | None
    mentions: list[list[int]]


class SpeakerRef(BaseModel):
    id: str
    name: str | None
    type: str
    description: str | None


class QuoteOut(BaseModel):
    text: str
    start: int
    end: int
    kind: str
    cue: str | None
    speaker: SpeakerRef | None
    section: str


class ClaimantOut(BaseModel):
    type: str
    id: str | None
    name: str | None
    description: str | None


class NumberOut(BaseModel):
    text: str
    start: int
    end: int
    low: float | None
    high: float | None
    approximate: bool
    unit: str | None
    counts: str | None
    category: str | None
    claimant: ClaimantOut
    hedge: str | None
    section: str


class AnonymousOut(BaseModel):
    speaker_id: str
    description: str
    reason: str | None
    start: int
    end: int


class CopyOut(BaseModel):
    id: str
    source: str
    title: str | None
    url: str | None
    published: str | None
    outlet: str | None


class LedgerInfo(BaseModel):
    outlet: str | None
    cluster_id: str | None
    version: int
    is_current: bool
    supersedes: str | None
    ingested_at: str
    speakers: dict[str, str] = Field(description="local speaker id (s1 …) -> speaker id across documents")
    copies: list[CopyOut] = Field(description="syndicated copies: other documents of the same cluster")


class DocumentOut(BaseModel):
    """The output contract (``Document.to_dict()``)."""

    id: str
    source: str
    title: str | None
    url: str | None
    published: str | None
    language: str = Field(description='language the page was analysed as: "en", "ru", "uk", "und"')
    status: Literal["ok", "partial", "failed", "skipped"]
    errors: list[ErrorItemOut]
    text: str
    sections: list[SectionOut]
    speakers: list[SpeakerOut]
    quotes: list[QuoteOut]
    numbers: list[NumberOut]
    anonymous_sources: list[AnonymousOut]
    provenance: dict[str, Any] = Field(
        default_factory=dict, description="WARC file and offset, JSONL line, URL"
    )


class StoredDocumentOut(DocumentOut):
    """The contract plus what the ledger knows: outlet, versions, cluster and copies, speaker ids."""

    ledger: LedgerInfo


class QuoteRow(BaseModel):
    doc_id: str
    idx: int
    text: str
    start: int
    end: int
    kind: str
    cue: str | None
    section: str
    speaker_id: str | None
    speaker: str | None
    speaker_type: str | None
    title: str | None
    url: str | None
    published: str | None
    outlet: str | None


class QuotesPage(BaseModel):
    items: list[QuoteRow]
    next: str | None


class NumberRow(BaseModel):
    doc_id: str
    idx: int
    text: str
    start: int
    end: int
    low: float | None
    high: float | None
    approximate: bool
    unit: str | None
    counts: str | None
    category: str | None
    claimant_type: str
    claimant: str | None
    speaker_id: str | None
    hedge: str | None
    section: str
    sentence: str | None
    title: str | None
    url: str | None
    published: str | None
    outlet: str | None


class NumbersPage(BaseModel):
    items: list[NumberRow]
    next: str | None


class ClaimRef(BaseModel):
    idx: int
    text: str
    permalink: str


class ClaimCopy(BaseModel):
    doc_id: str
    idx: int
    title: str | None
    url: str | None
    published: str | None
    outlet_name: str | None = Field(description="the outlet, else the host of the URL")
    permalink: str
    earliest: bool = Field(description="the first to carry the claim")


class Earliest(BaseModel):
    doc_id: str
    published: str | None
    by: Literal["published", "ingested"] = Field(description="by publication date, or (undated) by ingestion")
    is_this: bool


class ClaimFacts(BaseModel):
    claim: Literal["quote", "number"]
    source: str
    is_current: bool
    permalink: str = Field(description="the claim page; add the server's address for a full URL")
    outlet_name: str | None = Field(description="the outlet, else the host of the document's URL")
    speaker_name: str | None = Field(description="the speaker as this document names them")
    speaker_description: str | None
    speaker_role: str | None
    speaker_affiliation: str | None
    cluster_id: str | None
    context: str = Field(description="the passage around the claim (its paragraph, cut)")
    context_start: int = Field(description="offset of the passage in the document's text")
    citation: str
    same_speaker: list[ClaimRef] = Field(description="the speaker's other claims (same kind) here")
    also_in: list[ClaimCopy] = Field(description="other documents carrying the same claim, earliest first")
    earliest: Earliest


class QuoteClaim(ClaimFacts, QuoteRow):
    """A quote with its passage, speaker, citation and provenance."""


class NumberClaim(ClaimFacts, NumberRow):
    """A number with its passage, claimant, citation and provenance."""


class SpeakerRow(BaseModel):
    id: str
    name: str | None
    type: str
    aliases: list[str]
    roles: list[list[str | None]]
    affiliations: list[list[str | None]]
    description: str | None
    quotes: int
    documents: int


class SpeakersPage(BaseModel):
    items: list[SpeakerRow]
    next: str | None


class Appearance(BaseModel):
    doc_id: str
    local_id: str
    name: str | None
    role: str | None
    affiliation: str | None
    description: str | None
    title: str | None
    published: str | None


class SpeakerDetail(SpeakerRow):
    appearances: list[Appearance]
    quotes_url: str = Field(description="the speaker's quotes, paginated")


class TrackerSummary(BaseModel):
    name: str
    title: str
    description: str
    categories: list[str]
    unit: str | None


class TrackersPage(BaseModel):
    items: list[TrackerSummary]
    next: str | None


class PointOut(BaseModel):
    date: str | None
    low: float | None
    high: float | None
    approximate: bool
    text: str
    counts: str | None
    claimant: str
    claimant_type: str
    outlet: str | None
    document: str
    sentence: str | None
    href: str = Field(description="the number in the document view")
    copies: list[str] = Field(description="documents of the same cluster repeating this figure")


class TrackerOut(TrackerSummary):
    points: list[PointOut]
    truncated: bool = Field(description="true when more numbers matched than one page of rows")


class ExtractIn(BaseModel):
    """A text or an HTML page to extract (URLs are never fetched by the server)."""

    text: str = Field(min_length=1, description="plain text or HTML")
    source: str | None = Field(default=None, max_length=500, description="a name for the document")


class IngestIn(ExtractIn):
    url: str | None = Field(default=None, max_length=2048, description="the page's address, stored as data")
    outlet: str | None = Field(default=None, max_length=200)


class IngestOut(BaseModel):
    ok: bool
    outcome: Literal["ingested", "unchanged", "version", "failed"]
    id: str | None
    source: str
    cluster_id: str | None
    error: ErrorItemOut | None
