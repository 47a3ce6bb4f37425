"""Coded errors. Each code names the cause and the fix, so a user can act on it without a traceback."""

from __future__ import annotations

from dataclasses import dataclass

from .model import ErrorItem


@dataclass(frozen=True, slots=True)
class ErrorCode:
    code: str
    status: str  # the document status this error implies: failed, partial or skipped
    template: str

    def item(self, **details: object) -> ErrorItem:
        return ErrorItem(self.code, self.template.format(**details))


EMPTY = ErrorCode(
    "CL-E001", "skipped", "the document is empty (no text after normalisation); nothing to extract"
)
BINARY = ErrorCode(
    "CL-E002",
    "failed",
    "the input looks like binary data ({detail}), not text or HTML; "
    "pass a text, HTML, or supported archive file",
)
ENCODING = ErrorCode(
    "CL-E003",
    "partial",
    "the input is not valid UTF-8; it was decoded as {encoding} with {replaced} undecodable "
    "byte(s) replaced; re-save it as UTF-8 for an exact result",
)
TOO_LARGE = ErrorCode(
    "CL-E004",
    "failed",
    "the input is {size:,} bytes, over the limit max_input_bytes={limit:,}; split it or raise the setting",
)
TEXT_TOO_LONG = ErrorCode(
    "CL-E005",
    "partial",
    "the normalised text has {size:,} characters, over max_text_chars={limit:,}; only the first {limit:,} "
    "were analysed; split the document or raise the setting",
)
UNREADABLE = ErrorCode("CL-E006", "failed", "cannot read {source}: {reason}")
NO_CLAIMS = ErrorCode(
    "CL-E007",
    "ok",
    "no quotes and no numbers were found; if the page has them, check that it is English news prose",
)
NO_MAIN_TEXT = ErrorCode(
    "CL-E008",
    "failed",
    "the HTML page has no main text that could be extracted (empty, script-only or all navigation); "
    "save the article's text instead",
)
DOC_TIMEOUT = ErrorCode(
    "CL-E009",
    "partial",
    "extracting the document took longer than doc_timeout_s={limit:g} s and was stopped {where}; "
    "{kept}; split the document, or raise the setting only for trusted input",
)
INTERNAL = ErrorCode(
    "CL-E099",
    "failed",
    "extraction failed on this document ({reason}); the rest of the run went on; "
    "please report it with the input",
)


# Input readers (CL-E020 to CL-E039).
DECOMPRESSION_LIMIT = ErrorCode(
    "CL-E020",
    "failed",
    "decompressing {source} {reason}: a likely decompression bomb or an oversized record; "
    "raise max_decoded_bytes / max_decompression_ratio only if you trust the input",
)
CORRUPT_ARCHIVE = ErrorCode(
    "CL-E021",
    "failed",
    "{source} is damaged ({reason}); what came before the damage was kept; "
    "re-download or repair the file (e.g. `gzip -t`, warcio check)",
)
WARC_LENGTH = ErrorCode(
    "CL-E022",
    "partial",
    "the WARC record at {source} declares Content-Length {declared:,} but {reason}; the record was "
    "read as far as it goes; the archive was written by a faulty tool and should be re-crawled",
)
BAD_JSON_LINE = ErrorCode(
    "CL-E023",
    "failed",
    "line {line} of {path} is not a usable record ({reason}); each line must be a JSON object "
    'with "html" or "text" (strings) and optional "url" and "published"',
)
HTML_TIMEOUT = ErrorCode(
    "CL-E024",
    "failed",
    "parsing the HTML took longer than doc_timeout_s={limit:g} s and was stopped; the page is "
    "pathological or the machine is overloaded; raise the setting only for trusted input",
)
HTML_DROPPED = ErrorCode(
    "CL-E025",
    "partial",
    "the HTML parser dropped part of the page ({reason}); only {kept:,} of about {visible:,} "
    "visible characters were read; save the article's text instead for a complete result",
)
HTML_TOO_COMPLEX = ErrorCode(
    "CL-E026",
    "failed",
    "the HTML was refused before parsing: {reason}; such markup takes minutes to parse; "
    "save the article's text instead",
)
HTML_WORKER = ErrorCode(
    "CL-E027",
    "failed",
    "the HTML worker process ended without a result ({reason}); the page probably needs more memory "
    "than is allowed; save the article's text instead",
)
URL_REFUSED = ErrorCode(
    "CL-E028",
    "failed",
    "refused to fetch {url}: {reason}; only http(s) URLs of public addresses are fetched "
    "(set fetch_allow_private=true for trusted local servers)",
)
FETCH_FAILED = ErrorCode(
    "CL-E029",
    "failed",
    "fetching {url} failed: {reason}; check the URL and the network, or save the page and pass the file",
)
TOO_MANY_REDIRECTS = ErrorCode(
    "CL-E030",
    "failed",
    "{url} redirected more than fetch_max_redirects={limit} times; pass the final URL or raise the setting",
)
FETCH_OFF = ErrorCode(
    "CL-E031",
    "skipped",
    "{url} was not fetched because fetch_urls is off; save the page and pass the file, "
    "or set CLAIMLEDGER_FETCH_URLS=true",
)
NO_MATCH = ErrorCode(
    "CL-E032",
    "failed",
    "no file matches {pattern}; check the path or quote the pattern so the shell does not expand it",
)
NOTHING_READABLE = ErrorCode(
    "CL-E033",
    "failed",
    "nothing to read in {where}: {found}; folders are read for text, HTML, WARC and "
    "JSON Lines files (or gzip of these): save the pages in one of these formats",
)

# Publication dates (CL-E060 to CL-E069). Warnings: the document's status stays what it was.
NO_DATE = ErrorCode(
    "CL-E060",
    "ok",
    "the publication date could not be read from the page{seen}, so published is empty (a date is "
    "never completed by guessing); supply it with `--published YYYY-MM-DD` or a JSON Lines "
    '"published" field',
)
DATE_DIFFERS = ErrorCode(
    "CL-E061",
    "ok",
    "the page gives its own date {own}, which was kept; the date supplied with --published "
    "({supplied}) was not used for this document",
)

# Web and HTTP API (CL-E040 to CL-E049). The status of these is "failed": the request failed, not a
# document. ``claimledger.web.problems`` maps them to HTTP statuses.
WEB_NOT_FOUND = ErrorCode("CL-E040", "failed", "{what} not found; check the id or the address")
WEB_BAD_REQUEST = ErrorCode("CL-E041", "failed", "the request is not valid: {detail}")
WEB_TOO_LARGE = ErrorCode(
    "CL-E042",
    "failed",
    "the request body is over web_max_body_bytes={limit:,} bytes; send less or raise the setting",
)
WEB_QUERY_TIMEOUT = ErrorCode(
    "CL-E043",
    "failed",
    "the query ran over web_sql_timeout_s={limit:g} s and was stopped; "
    "narrow it with filters or a smaller limit",
)
WEB_UNAUTHORIZED = ErrorCode(
    "CL-E044", "failed", "a valid token is required: send the header 'Authorization: Bearer <web_token>'"
)
WEB_WRITES_DISABLED = ErrorCode(
    "CL-E045",
    "failed",
    "writing is disabled because web_token is empty; set CLAIMLEDGER_WEB_TOKEN to enable it",
)
WEB_CSRF = ErrorCode(
    "CL-E046",
    "failed",
    "the form's anti-forgery token is missing or wrong; reload the page and submit it again",
)
WEB_INTERNAL = ErrorCode("CL-E047", "failed", "internal error while serving the request; please report it")
WEB_METHOD = ErrorCode("CL-E048", "failed", "method {method} is not allowed here")
WEB_BAD_CURSOR = ErrorCode(
    "CL-E049", "failed", "the cursor is not valid; use the 'next' value of the previous page as it is"
)

# Batch runs (CL-E050 to CL-E059).
PARTITION_FAILED = ErrorCode(
    "CL-E050",
    "failed",
    "partition {partition} ({slice}) failed: {reason}; its documents are not in the output; "
    "re-run the same `claimledger batch` command to retry it (finished partitions are skipped)",
)
WORKER_LOST = ErrorCode(
    "CL-E051",
    "failed",
    "the worker running partition {partition} ({slice}) died ({reason}) after {attempts} attempt(s); "
    "if it happens again, lower partition_bytes or give the workers more memory, then re-run",
)
INPUT_UNREADABLE = ErrorCode(
    "CL-E052",
    "failed",
    "cannot plan batch input {source}: {reason}; check the path (WARC, JSON Lines, or a folder of pages)",
)
ENGINE_MISSING = ErrorCode(
    "CL-E053",
    "failed",
    "Dask is not installed, so --scheduler/--cluster cannot run; install the extra with "
    "`pip install 'claimledger[dask]'` or use local processes (--workers N)",
)
NOT_BATCH_OUTPUT = ErrorCode(
    "CL-E055",
    "failed",
    "{path} is not the output folder of a batch run (it has no manifest.json); pass the --out "
    "folder of `claimledger batch`, or use `claimledger ingest` for a folder of pages",
)
SHARDS_UNREADABLE = ErrorCode(
    "CL-E054",
    "failed",
    "cannot load the shards of {partition} from {path}: {reason}; re-run `claimledger batch` to rewrite them",
)

# The command line and opening a ledger (CL-E070 to CL-E079). Usage mistakes exit 2, the rest 1.
BAD_DATE = ErrorCode(
    "CL-E070", "failed", "{value!r} is not a date written YYYY-MM-DD (year-month-day, zero-padded){hint}"
)
UNKNOWN_CATEGORY = ErrorCode("CL-E071", "failed", "unknown category {value!r}; the categories are: {known}")
NO_LEDGER = ErrorCode(
    "CL-E072",
    "failed",
    "no ledger at {path}; check --db (or CLAIMLEDGER_DB), or create one with "
    "`claimledger ingest PAGES --db {path}`",
)
LEDGER_UNAVAILABLE = ErrorCode(
    "CL-E073", "failed", "cannot open the ledger at {db}: {reason}; check the path or URL and its permissions"
)
LEDGER_OUTDATED = ErrorCode(
    "CL-E074",
    "failed",
    "the ledger at {db} has schema revision {found}, older than this claimledger's {head}; "
    "upgrade it once with `claimledger upgrade --db {db}` (needs write access)",
)
BAD_DB = ErrorCode(
    "CL-E075",
    "failed",
    "{value!r} is neither a file path nor a database URL ({reason}); give a path such as "
    "claimledger.db (./NAME for a file name with a colon) or a URL such as postgresql+psycopg://host/db",
)
OUTPUT_FAILED = ErrorCode(
    "CL-E076", "failed", "cannot write the output: {reason}; free some space or write somewhere else"
)
INTERRUPTED = ErrorCode("CL-E077", "failed", "interrupted; {hint}")
BAD_VALUE = ErrorCode(
    "CL-E078", "failed", "{value!r} is not a number; write it with digits, e.g. 80000, 80,000 or 1.5e6"
)
LEDGER_FAILED = ErrorCode(
    "CL-E079",
    "failed",
    "the ledger at {db} failed: {reason}; free some space if the disk is full, then run the command "
    "again (a write keeps whole documents only)",
)
