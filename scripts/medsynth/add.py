"""``medsynth add``: a new entry from a DOI (Crossref) or an arXiv id (arXiv API).

The metadata is fetched, turned into an entry with the taxonomy given on the command line,
inserted into the bib in its canonical place, and linted. Without network access the command
says so; ``--template`` then writes an entry whose facts are left for the contributor to fill.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import identifiers, screening
from .bibfile import parse_bib, read_bib
from .fmt import content, format_library, refusal, write_atomically
from .lint import check

USER_AGENT = "medsynth-review/0.1 (https://github.com/; mailto:review@invalid)"
TIMEOUT = 20


class NoNetwork(Exception):
    """The metadata service could not be reached."""


class NotFound(Exception):
    """The service answered, but knows no such identifier."""


Fetch = Callable[[str], bytes]


def fetch_url(url: str) -> bytes:
    """GET *url*; ``MEDSYNTH_OFFLINE=1`` forbids the network (tests never touch it)."""
    if os.environ.get("MEDSYNTH_OFFLINE"):
        raise NoNetwork("network access is disabled (MEDSYNTH_OFFLINE is set)")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise NotFound(f"{url} answered 404 Not Found") from None
        raise NoNetwork(f"{url} answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise NoNetwork(f"could not reach {urllib.parse.urlsplit(url).netloc}: {error}") from None


@dataclass
class Metadata:
    entry_type: str
    title: str
    authors: list[tuple[str, str]]
    year: str
    fields: dict[str, str] = field(default_factory=dict)
    month: str = ""
    #: The page the metadata were read from: the entry's ``verified`` (empty for a template).
    source_url: str = ""


def crossref_url(doi: str) -> str:
    return "https://api.crossref.org/works/" + urllib.parse.quote(doi, safe="/")


def arxiv_api_url(arxiv_id: str) -> str:
    return "https://export.arxiv.org/api/query?id_list=" + urllib.parse.quote(arxiv_id)


_CROSSREF_TYPES = {"journal-article": "article", "proceedings-article": "inproceedings",
                   "book-chapter": "incollection", "book": "book", "posted-content": "misc"}


def from_crossref(data: bytes, doi: str) -> Metadata:
    try:
        message = json.loads(data)["message"]
    except (ValueError, KeyError, TypeError):
        raise NotFound(f"Crossref gave no record for {doi}") from None
    entry_type = _CROSSREF_TYPES.get(message.get("type", ""), "misc")
    parts = (message.get("issued") or message.get("published") or {}).get("date-parts") or [[]]
    date = [str(p) for p in parts[0] if p is not None]
    fields = {"doi": message.get("DOI", doi).lower()}
    container = (message.get("container-title") or [""])[0]
    if container:
        fields["journal" if entry_type == "article" else "booktitle"] = container
    for source, target in (("volume", "volume"), ("issue", "number"), ("page", "pages"), ("publisher", "publisher")):
        if message.get(source) and not (target == "publisher" and entry_type == "article"):
            fields[target] = str(message[source]).replace("-", "--")
    authors = [(a.get("family", a.get("name", "")), a.get("given", "")) for a in message.get("author", [])]
    return Metadata(entry_type, " ".join((message.get("title") or [""])[0].split()), authors,
                    date[0] if date else "", fields, date[1] if len(date) > 1 else "", crossref_url(doi))


_ATOM = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}


def from_arxiv(data: bytes, arxiv_id: str) -> Metadata:
    try:
        entry = ET.fromstring(data).find("a:entry", _ATOM)
    except ET.ParseError:
        entry = None
    if entry is None or entry.find("a:title", _ATOM) is None:
        raise NotFound(f"arXiv gave no record for {arxiv_id}")
    title = " ".join(entry.findtext("a:title", "", _ATOM).split())
    authors = []
    for author in entry.findall("a:author", _ATOM):
        name = " ".join(author.findtext("a:name", "", _ATOM).split())
        given, _, family = name.rpartition(" ")
        authors.append((family, given))
    published = entry.findtext("a:published", "", _ATOM)
    fields = {"eprint": arxiv_id, "archiveprefix": "arXiv"}
    category = entry.find("arxiv:primary_category", _ATOM)
    if category is not None and category.get("term"):
        fields["primaryclass"] = category.get("term")
    doi = entry.findtext("arxiv:doi", "", _ATOM).strip()
    if doi:
        fields["doi"] = doi.lower()
    return Metadata("misc", title, authors, published[:4], fields, published[5:7].lstrip("0"),
                    arxiv_api_url(arxiv_id))


def escape(text: str) -> str:
    """Plain text (Crossref may add HTML tags) -> a BibTeX value: specials escaped, no stray braces."""
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"([&%$#_])", r"\\\1", text)
    return text.replace("{", "").replace("}", "")


def make_key(metadata: Metadata, taken: set[str]) -> str:
    family = metadata.authors[0][0] if metadata.authors else "anonymous"
    ascii_family = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", metadata.title)
                                   .encode("ascii", "ignore").decode().lower())
             if w not in {"a", "an", "the", "on", "of", "for", "and", "in", "to", "with", "via"}]
    base = re.sub(r"[^a-z]", "", ascii_family) + metadata.year + (words[0] if words else "")
    key, suffix = base, ord("a")
    while key.lower() in taken:
        key, suffix = base + chr(suffix), suffix + 1
    return key


def entry_text(key: str, metadata: Metadata, taxonomy: dict[str, str]) -> str:
    fields = {"title": escape(metadata.title),
              "author": " and ".join(f"{escape(f)}, {escape(g)}".rstrip(", ") for f, g in metadata.authors),
              "year": metadata.year}
    fields.update({name: escape(value) if name in ("journal", "booktitle", "publisher") else value
                   for name, value in metadata.fields.items()})
    if metadata.month and metadata.year:
        fields["date"] = f"{metadata.year}-{int(metadata.month):02d}"
    fields.update({name: value for name, value in taxonomy.items() if value})
    fields["verified"] = metadata.source_url
    if taxonomy.get("kind", "study") == "study":
        fields["coding"] = "review"
    fields["added"] = dt.date.today().isoformat()
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    return f"@{metadata.entry_type}{{{key},\n{body}}}\n"


def template(identifier: str, taxonomy: dict[str, str]) -> Metadata:
    """Facts left empty on purpose: lint fails until the contributor has filled them in."""
    doi, arxiv = identifiers.normalize_doi(identifier), identifiers.normalize_arxiv(identifier)
    fields = {"doi": doi} if doi else {"eprint": arxiv, "archiveprefix": "arXiv"}
    return Metadata("misc" if arxiv else "article", "", [], "", fields)


def lookup(identifier: str, fetch: Fetch = fetch_url) -> Metadata:
    """Metadata for a DOI or an arXiv id; raises :class:`NoNetwork` or :class:`NotFound`."""
    arxiv = identifiers.normalize_arxiv(identifier)
    if arxiv:
        return from_arxiv(fetch(arxiv_api_url(arxiv)), arxiv)
    doi = identifiers.normalize_doi(identifier)
    if doi:
        return from_crossref(fetch(crossref_url(doi)), doi)
    raise ValueError(f"{identifier!r} is neither a DOI nor an arXiv id")


def record_inclusion(bib_path: Path, identifier: str, title: str, key: str, found_in: str) -> str:
    """Append the entry's ``include`` line to the screening record, and count it in its search
    (which is created, dated today, if the search record does not have it)."""
    searches_path, screening_path = screening.beside(bib_path)
    today = dt.date.today().isoformat()
    lines = searches_path.read_text(encoding="utf-8").splitlines() if searches_path.exists() else \
        ["\t".join(screening.SEARCH_COLUMNS)]
    for index, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == found_in and len(cells) == len(screening.SEARCH_COLUMNS) and cells[4].isdigit():
            cells[4] = str(int(cells[4]) + 1)
            lines[index] = "\t".join(cells)
            break
    else:
        lines.append("\t".join((found_in, "contributor", "Papers proposed by contributors and added with "
                                 "medsynth add", today, "1")))
    screened = screening_path.read_text(encoding="utf-8") if screening_path.exists() else \
        "\t".join(screening.SCREENING_COLUMNS) + "\n"
    row = (identifier, " ".join(title.split()), found_in, "include", "", key, f"added with medsynth add on {today}")
    write_atomically(searches_path, "\n".join(lines) + "\n")
    write_atomically(screening_path, screened.rstrip("\n") + "\n" + "\t".join(row) + "\n")
    return f"{screening_path}: recorded {key} as included (found in {found_in!r})"


def add_to_bib(bib_path, identifier: str, taxonomy: dict[str, str], vocabulary, fetch: Fetch = fetch_url,
               use_template: bool = False, found_in: str = "contributions") -> tuple[int, list[str]]:
    """Insert the entry for *identifier* into the bib; returns the exit status and messages."""
    bib = read_bib(bib_path)
    problems = refusal(bib)
    if problems:
        return 1, [str(p) for p in problems]
    doi, arxiv = identifiers.normalize_doi(identifier), identifiers.normalize_arxiv(identifier)
    if not doi and not arxiv:
        return 2, [f"medsynth: error: {identifier!r} is neither a DOI nor an arXiv id"]
    for record in bib.records:
        if (doi and record.doi == doi) or (arxiv and record.arxiv == arxiv):
            return 1, [f"{bib.path}:{record.line}: error: {identifier} is already in the review as {record.key}"]
    try:
        metadata = lookup(identifier, fetch)
    except NoNetwork as error:
        if not use_template:
            return 1, [f"medsynth: no network: {error}. Nothing was written; rerun with --template to add "
                       "an entry to fill in by hand."]
        metadata = template(identifier, taxonomy)
    except NotFound as error:
        return 1, [f"medsynth: error: {error}"]
    key = make_key(metadata, {r.key.lower() for r in bib.records}) if metadata.title else \
        "todo" + re.sub(r"[^a-z0-9]", "", (doi or arxiv).lower())[-12:]
    combined = parse_bib(bib.text.rstrip("\n") + "\n\n" + entry_text(key, metadata, taxonomy), bib.path)
    if combined.problems:
        return 1, [str(p) for p in combined.problems]
    formatted = format_library(combined)
    if content(parse_bib(formatted.text)) != content(combined):
        return 1, [f"{bib.path}:0: error: not written: formatting would change the file's content"]
    write_atomically(Path(bib.path), formatted.text)
    written = parse_bib(formatted.text, bib.path)
    record = next(r for r in written.records if r.key == key)
    messages = [f"{bib.path}:{record.line}: added {key}; check it against the paper's page before committing"]
    if screening.has_records(bib.path):
        spelling = f"doi:{doi}" if doi else f"arxiv:{arxiv}"
        messages.append(record_inclusion(Path(bib.path), spelling, record.title or "(to fill in)", key, found_in))
    own = [p for p in check(written, vocabulary) if p.message.startswith(f"{key}:")]
    messages += [str(p) for p in own]
    return (1 if own else 0), messages
