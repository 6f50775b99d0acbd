"""The PRISMA 2020 flow of the review, counted from the search and screening records.

Two paths, as in the PRISMA 2020 diagram for new reviews: records found by searching the web
index ("databases"), and records found by other methods (the survey's tables, the seed lists,
contributors). Each candidate counts once, on the path of the search that first found it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .records import Record
from .screening import Records

#: Sources searched like a database; every other source is an "other method".
DATABASE_SOURCES = ("web-index",)
#: Reasons for which a report could not be assessed: its facts or its full text were not found.
NOT_RETRIEVED = ("unverifiable", "not-retrieved")
DUPLICATE = "duplicate"


@dataclass
class Path:
    """One column of the diagram."""
    identified: dict[str, int] = field(default_factory=dict)  # source id -> records identified
    duplicates: int = 0
    screened: int = 0
    excluded: dict[str, int] = field(default_factory=dict)  # reason -> records excluded on screening
    not_retrieved: dict[str, int] = field(default_factory=dict)  # reason -> reports not retrieved
    included: int = 0

    @property
    def identified_total(self) -> int:
        return sum(self.identified.values())

    @property
    def sought(self) -> int:
        return self.screened - sum(self.excluded.values())

    @property
    def assessed(self) -> int:
        return self.sought - sum(self.not_retrieved.values())


@dataclass
class Flow:
    databases: Path
    other: Path
    #: Included entries by main modality (studies), and the surveys and resources.
    studies_by_modality: dict[str, int]
    surveys: int

    @property
    def included(self) -> int:
        return self.databases.included + self.other.included


def flow(records: Records, entries: list[Record], modalities: list[str]) -> Flow:
    """Count the flow; *modalities* gives the order of the per-modality counts."""
    source_of = {search.id: search.source for search in records.searches}
    paths = {"databases": Path(), "other": Path()}

    def path_of(source: str) -> Path:
        return paths["databases" if source in DATABASE_SOURCES else "other"]

    for search in records.searches:
        identified = path_of(search.source).identified
        identified[search.source] = identified.get(search.source, 0) + max(search.screened, 0)
    found = {"databases": 0, "other": 0}
    for candidate in records.candidates:
        source = source_of.get(candidate.search, "")
        path = path_of(source)
        found["databases" if source in DATABASE_SOURCES else "other"] += 1
        if candidate.decision == "include":
            path.included += 1
            path.screened += 1
        elif candidate.reason == DUPLICATE:
            path.duplicates += 1
        else:
            path.screened += 1
            bucket = path.not_retrieved if candidate.reason in NOT_RETRIEVED else path.excluded
            bucket[candidate.reason] = bucket.get(candidate.reason, 0) + 1
    for name, path in paths.items():
        # Hits a search screened that were already candidates of an earlier search.
        path.duplicates += path.identified_total - found[name]
    by_modality = {modality: 0 for modality in modalities}
    surveys = 0
    for entry in entries:
        if entry.kind != "study":
            surveys += 1
        elif entry.modalities and entry.modalities[0] in by_modality:
            by_modality[entry.modalities[0]] += 1
    return Flow(paths["databases"], paths["other"], by_modality, surveys)


#: The rows of the PRISMA2020 R package's template (inst/extdata/PRISMA.csv): data, node, box,
#: description, boxtext, tooltips, url. Each gets its ``n`` from :func:`template_rows`.
TEMPLATE = (
    ("NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies",
     "Grey title box; Previous studies", "prevstud.html"),
    ("previous_studies", "node5", "box1", "Studies included in previous version of review",
     "Studies included in previous version of review", "Studies included in previous version of review",
     "previous_studies.html"),
    ("previous_reports", "NA", "box1", "Reports of studies included in previous version of review",
     "Reports of studies included in previous version of review", "NA", "previous_reports.html"),
    ("NA", "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers",
     "Identification of new studies via databases and registers",
     "Yellow title box; Identification of new studies via databases and registers", "newstud.html"),
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases",
     "Records identified from: Databases and Registers", "database_results.html"),
    ("database_specific_results", "NA", "box2", "Records identified from: specific databases",
     "Specific Databases", "NA", "database_results.html"),
    ("register_results", "NA", "box2", "Records identified from: Registers", "Registers", "NA", "NA"),
    ("register_specific_results", "NA", "box2", "Records identified from: specific registers",
     "Specific Registers", "NA", "database_results.html"),
    ("NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods",
     "Identification of new studies via other methods",
     "Grey title box; Identification of new studies via other methods", "othstud.html"),
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites",
     "Records identified from: Websites, Organisations and Citation Searching", "website_results.html"),
    ("organisation_results", "", "box11", "Records identified from: Organisations", "Organisations", "NA", "NA"),
    ("citations_results", "NA", "box11", "Records identified from: Citation searching", "Citation searching",
     "NA", "NA"),
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records",
     "duplicates.html"),
    ("excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools",
     "Records marked as ineligible by automation tools", "NA", "NA"),
    ("excluded_other", "NA", "box3", "Records removed for other reasons", "Records removed for other reasons",
     "NA", "NA"),
    ("records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened",
     "Records screened (databases and registers)", "records_screened.html"),
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded",
     "Records excluded (databases and registers)", "records_excluded.html"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)",
     "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)",
     "dbr_sought_reports.html"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)",
     "Reports not retrieved", "Reports not retrieved (databases and registers)", "dbr_notretrieved_reports.html"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)",
     "Reports sought for retrieval", "Reports sought for retrieval (other)", "other_sought_reports.html"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved",
     "Reports not retrieved (other)", "other_notretrieved_reports.html"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)",
     "dbr_assessed.html"),
    ("dbr_excluded", "node14", "box9", "Reports excluded (databases and registers): [separate reasons and "
     "numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded",
     "Reports excluded (databases and registers)", "dbrexcludedrecords.html"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)",
     "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html"),
    ("other_excluded", "node21", "box15", "Reports excluded (other): [separate reasons and numbers using ; "
     "e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (other)",
     "other_excluded.html"),
    ("new_studies", "node15", "box10", "New studies included in review", "New studies included in review",
     "New studies included in review", "new_studies.html"),
    ("new_reports", "NA", "box10", "Reports of new included studies", "Reports of new included studies", "NA",
     "NA"),
    ("total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review",
     "Total studies included in review", "total_studies.html"),
    ("total_reports", "NA", "box16", "Reports of total included studies", "Reports of total included studies",
     "NA", "NA"),
    ("identification", "node1", "identification", "Blue identification box", "Identification",
     "Blue identification box", "identification.html"),
    ("screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box",
     "screening.html"),
    ("included", "node3", "included", "Blue included box", "Included", "Blue included box", "included.html"),
    ("total_studies_ma", "node23", "box17", "Total studies included in meta-analysis",
     "Total studies included in meta-analysis", "Total studies included in meta-analysis",
     "total_studies_meta_analysis.html"),
    ("total_reports_ma", "NA", "box17", "Reports of total included studies in meta-analysis",
     "Reports of total included studies in meta-analysis", "NA", "NA"),
)
TEMPLATE_COLUMNS = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")


def _reasons(counts: dict[str, int], titles: dict[str, str]) -> str:
    """The template's "Reason1, xxx; Reason2, xxx" form."""
    return "; ".join(f"{titles.get(reason, reason)}, {n}" for reason, n in counts.items())


def template_rows(result: Flow, source_titles: dict[str, str], reason_titles: dict[str, str]) -> list[list[str]]:
    """The flow in the layout of the PRISMA2020 R package's template, to redraw it with that package."""
    databases, other = result.databases, result.other
    # Other methods: the survey's tables count as citation searching (its reference list), the
    # seed lists as websites, contributors' proposals as organisations.
    n = {
        "previous_studies": 0, "previous_reports": 0,
        "database_results": databases.identified_total,
        "database_specific_results": _reasons(databases.identified, source_titles),
        "register_results": 0, "register_specific_results": "",
        "website_results": other.identified.get("seed-lists", 0),
        "organisation_results": other.identified.get("contributor", 0),
        "citations_results": other.identified.get("survey-table", 0),
        "duplicates": databases.duplicates + other.duplicates, "excluded_automatic": 0, "excluded_other": 0,
        "records_screened": databases.screened, "records_excluded": sum(databases.excluded.values()),
        "dbr_sought_reports": databases.sought, "dbr_notretrieved_reports": sum(databases.not_retrieved.values()),
        "other_sought_reports": other.screened, "other_notretrieved_reports": sum(other.not_retrieved.values()),
        "dbr_assessed": databases.assessed, "dbr_excluded": "",
        "other_assessed": other.screened - sum(other.not_retrieved.values()),
        "other_excluded": _reasons(other.excluded, reason_titles),
        "new_studies": result.included, "new_reports": result.included,
        "total_studies": result.included, "total_reports": result.included,
        "identification": 0, "screening": 0, "included": 0, "total_studies_ma": 0, "total_reports_ma": 0,
    }
    return [list(row) + [str(n.get(row[0], 0))] for row in TEMPLATE]


def template_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()
