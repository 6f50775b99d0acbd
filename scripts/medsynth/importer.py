"""``medsynth import-md``: candidate entries from an awesome-list style markdown file.

Each table row under a modality heading becomes a candidate entry carrying the taxonomy the
table states (modality, family, evaluation, application, architecture, links, date) and the
paper's identifier. Titles and authors are never filled in: they come from verification.
Every row or cell that cannot be mapped is reported with its line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import identifiers
from .problems import Problem

#: Heading words -> modality id; the first match wins, so specific words come first.
SECTION_MODALITY = (
    ("health record", "ehr"), ("ehr", "ehr"), ("electrocardiogram", "ecg"), ("ecg", "ecg"),
    ("electroencephalogram", "eeg"), ("eeg", "eeg"), ("ppg", "ppg"), ("dermoscop", "dermoscopy"),
    ("mammogra", "mammography"), ("ultrasound", "ultrasound"), ("mri", "mri"), ("ct ", "ct"),
    ("x-ray", "xray"), ("xray", "xray"), ("oct", "oct"), ("multiple modalit", "multimodal"),
    ("multi-modal", "multimodal"), ("clinical notes", "text"), ("radiology report", "text"),
)

#: Free-text model types as the tables write them -> family ids.
TYPE_FAMILY = {
    "gan": "gan", "gans": "gan", "dm": "diffusion", "ddpm": "diffusion", "diffusion model": "diffusion",
    "diffusion models": "diffusion", "diffusion": "diffusion", "vae": "vae", "ae": "other",
    "language model": "llm", "llm": "llm", "other": "other", "flow": "flow", "nerf": "nerf",
    "autoregressive": "autoregressive", "ebm": "ebm",
}

EVALUATION_WORDS = {
    "utility": "U", "fidelity": "F", "diversity": "D", "qualitative": "Q",
    "clinical validity": "C", "clinical": "C", "privacy": "P",
}
CODE_ORDER = "UFDQCP"

_LINK = re.compile(r"\[([^\]]*)\]\(\s*([^)]*?)\s*\)")
_DOI_IN_URL = re.compile(r"/(10\.\d{4,9}/[^/?#\s]+)(?:/(?:full|abstract|pdf))?/?$")
_PLACEHOLDER = re.compile(r"^https?://(?:[^/]*\.)?example(?:-[a-z-]+)?\.(?:com|org|net)\b|"
                          r"^https?://github\.com/example/?$", re.IGNORECASE)


@dataclass
class Candidate:
    line: int
    fields: dict[str, str]

    @property
    def key(self) -> str:
        ident = self.fields.get("doi") or self.fields.get("eprint") or self.fields.get("url", "")
        return "cand-" + re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")[:60]


@dataclass
class Import:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _modality(heading: str) -> str | None:
    text = heading.lower().replace("*", "") + " "
    return next((modality for word, modality in SECTION_MODALITY if word in text), None)


def families(text: str) -> tuple[list[str], list[str]]:
    """``"H:GAN,VAE"`` -> ``(["hybrid", "gan", "vae"], [])``; unknown parts come back second."""
    found, unknown = [], []
    text = text.strip()
    if re.match(r"^h\s*:", text, re.IGNORECASE):
        found.append("hybrid")
        text = text.split(":", 1)[1]
    for part in re.split(r"\s*(?:,|&|\band\b|\+|/)\s*", text, flags=re.IGNORECASE):
        part = part.strip().lower()
        if not part:
            continue
        family = TYPE_FAMILY.get(part)
        if family is None:
            unknown.append(part)
        elif family not in found:
            found.append(family)
    return found, unknown


def evaluation_codes(text: str) -> tuple[list[str], list[str]]:
    codes, unknown = set(), []
    for part in re.split(r"\s*,\s*", text.strip()):
        word = re.sub(r"\s*\(.*\)$", "", part).strip()
        if not word:
            continue
        if len(word) == 1 and word.upper() in CODE_ORDER:
            codes.add(word.upper())
        elif word.lower() in EVALUATION_WORDS:
            codes.add(EVALUATION_WORDS[word.lower()])
        else:
            unknown.append(word)
    return [c for c in CODE_ORDER if c in codes], unknown


def _column(header: list[str], *names: str) -> int | None:
    for index, title in enumerate(header):
        clean = title.replace("*", "").strip().lower()
        if any(clean == name or clean.startswith(name + " ") for name in names):
            return index
    return None


def import_markdown(text: str, path: str) -> Import:
    result = Import()
    lines = text.splitlines()
    modality, header, columns = None, None, {}
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("#"):
            modality, header = _modality(stripped.lstrip("#")), None
            continue
        if not stripped.startswith("|"):
            header = None
            continue
        cells = _cells(stripped)
        if header is None:
            header = cells
            columns = {
                "type": _column(header, "type"), "application": _column(header, "application"),
                "architecture": _column(header, "architecture", "technology"),
                "paper": _column(header, "paper", "paper link"), "code": _column(header, "code", "code link"),
                "evaluation": _column(header, "evaluation"), "date": _column(header, "date"),
            }
            # One table of the survey titles its date column "Evaluation" a second time.
            evaluations = [i for i, title in enumerate(header) if "evaluation" in title.lower()]
            if columns["date"] is None and len(evaluations) > 1:
                columns["date"] = evaluations[1]
            continue
        if set(stripped) <= set("|:- "):
            continue
        if modality is None or columns.get("paper") is None:
            continue
        _import_row(result, path, number, modality, cells, columns)
    return result


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _import_row(result: Import, path: str, line: int, modality: str, cells: list[str], columns: dict) -> None:
    def report(message: str) -> None:
        result.problems.append(Problem(path, line, message, "warning"))

    paper = _LINK.search(_cell(cells, columns["paper"]))
    if not paper:
        report("no paper link; row skipped")
        result.skipped += 1
        return
    url = paper.group(2).strip()
    if _PLACEHOLDER.match(url):
        report(f"placeholder paper link {url!r}; row skipped")
        result.skipped += 1
        return
    fields: dict[str, str] = {}
    doi, arxiv = identifiers.normalize_doi(url), identifiers.normalize_arxiv(url)
    embedded = _DOI_IN_URL.search(url)
    if not doi and not arxiv and embedded:  # a publisher's page named by its DOI
        doi = identifiers.normalize_doi(embedded.group(1))
    if arxiv:
        fields.update(eprint=arxiv, archiveprefix="arXiv")
    elif doi:
        fields["doi"] = doi
    elif identifiers.is_web_url(url):
        fields["url"] = url
    else:
        report(f"broken paper link {url!r}; row skipped")
        result.skipped += 1
        return
    fields["modality"] = modality
    family_ids, unknown = families(_cell(cells, columns["type"]))
    if unknown:
        report(f"unknown model type {', '.join(unknown)!r}")
    if family_ids:
        fields["family"] = ", ".join(family_ids)
    codes, unknown = evaluation_codes(_cell(cells, columns["evaluation"]))
    if unknown:
        report(f"unknown evaluation {', '.join(unknown)!r}")
    if codes:
        fields["evaluation"] = ", ".join(codes)
    for name in ("architecture", "application"):
        value = " ".join(_cell(cells, columns[name]).split())
        if value:
            fields[name] = value
    code = _LINK.search(_cell(cells, columns["code"]))
    if code:
        label, target = code.group(1).strip(), code.group(2).strip()
        if _PLACEHOLDER.match(target):
            report(f"placeholder code link {target!r}; dropped")
        elif not identifiers.is_web_url(target):
            report(f"broken code link [{label}]({target}); dropped")
        else:
            fields["basecode" if label.lower().startswith("original") else "code"] = target
    date = _cell(cells, columns["date"])
    if re.match(r"^\d{4}-\d{2}$", date):
        fields["date"] = date
    elif date:
        report(f"date {date!r} is not YYYY-MM; dropped")
    result.candidates.append(Candidate(line, fields))


def to_bibtex(result: Import, path: str) -> str:
    """Candidates as BibTeX; each lacks title and author until someone verifies it."""
    blocks = []
    for candidate in result.candidates:
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in candidate.fields.items())
        blocks.append(f"% {path}:{candidate.line}: verify title, author, venue and year before use\n"
                      f"@misc{{{candidate.key},\n{body},\n}}\n")
    return "\n".join(blocks)
