"""The review's apparatus on the real site: Methods, the PRISMA flow (counted here again, straight
from the files), its CSV in the PRISMA2020 template's layout, the status box, what changed,
papers by dataset and every chapter's figures."""

from __future__ import annotations

import csv
import html as html_module
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO

from medsynth.review import Selection, load_review, select
from medsynth.sphinxext.plots import describe, plot_data

BIB = REPO / "bib"


@pytest.fixture(scope="module")
def review():
    return load_review(BIB / "review.bib", BIB / "vocabulary.yaml")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("apparatus") / "html"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-c",
                             str(REPO), str(REPO / "docs"), str(out)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out


def rows_of(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def counted():
    """The flow counted independently of medsynth.prisma: from the two TSV files alone."""
    searches, candidates = rows_of(BIB / "searches.tsv"), rows_of(BIB / "screening.tsv")
    source = {row["id"]: row["source"] for row in searches}
    path = {True: "databases", False: "other"}
    identified = Counter()
    for row in searches:
        identified[path[row["source"] == "web-index"]] += int(row["screened"])
    flow = {name: Counter() for name in path.values()}
    for row in candidates:
        side = flow[path[source[row["found_in"].split(":")[0]] == "web-index"]]
        side["found"] += 1
        if row["decision"] == "include":
            side["included"] += 1
        elif row["reason"] == "duplicate":
            side["duplicate"] += 1
        elif row["reason"] in ("unverifiable", "not-retrieved"):
            side["not retrieved"] += 1
        else:
            side["excluded"] += 1
    for name, side in flow.items():
        side["identified"] = identified[name]
        side["duplicates"] = identified[name] - side["found"] + side["duplicate"]
    return flow


def test_the_flow_adds_up(counted, review):
    db, other = counted["databases"], counted["other"]
    for side in (db, other):
        assert side["identified"] == side["duplicates"] + side["included"] + side["excluded"] + side["not retrieved"]
        assert side["duplicates"] >= 0
    assert db["included"] + other["included"] == len(review.records)


def counts_table(page: str) -> list[tuple[str, int]]:
    table = page[page.index('id="prisma-counts"'):]
    table = table[:table.index("</table>")]
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    return [(html_module.unescape(cells[i]), int(cells[i + 1])) for i in range(0, len(cells), 3)]


def test_the_diagram_says_what_the_files_say(site, counted, review):
    page = (site / "methods.html").read_text(encoding="utf-8")
    db, other = counted["databases"], counted["other"]
    db_screened = db["included"] + db["excluded"] + db["not retrieved"]
    other_sought = other["included"] + other["excluded"] + other["not retrieved"]
    assert counts_table(page) == [
        ("Records identified", db["identified"]), ("Duplicate records removed", db["duplicates"]),
        ("Records screened", db_screened), ("Records excluded", db["excluded"]),
        ("Reports sought for retrieval", db_screened - db["excluded"]),
        ("Reports not retrieved", db["not retrieved"]), ("Reports assessed for eligibility", db["included"]),
        ("Records identified", other["identified"]), ("Duplicate records removed", other["duplicates"]),
        ("Reports sought for retrieval", other_sought), ("Reports not retrieved", other["not retrieved"]),
        ("Reports assessed for eligibility", other_sought - other["not retrieved"]),
        ("Reports excluded", other["excluded"]), ("Studies included in the review", len(review.records))]
    assert re.search(r'<img alt="PRISMA 2020 flow diagram\. Records identified \(n = \d+\)', page)
    assert re.search(r'src="_images/review-prisma-[0-9a-f]+\.svg"', page)
    # every search of the record is listed with its query
    for row in rows_of(BIB / "searches.tsv")[:50]:
        assert f"<p>{html_module.escape(row['id'], quote=False)}</p>" in page


def test_the_csv_follows_the_prisma2020_template(site, counted, review):
    rows = list(csv.DictReader((site / "exports" / "prisma2020.csv").read_text(encoding="utf-8").splitlines()))
    assert list(rows[0]) == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    n = {row["data"]: row["n"] for row in rows if row["data"] != "NA"}
    assert {"database_results", "duplicates", "records_screened", "records_excluded", "dbr_sought_reports",
            "dbr_notretrieved_reports", "dbr_assessed", "other_sought_reports", "new_studies",
            "total_studies"} <= set(n)
    assert int(n["database_results"]) == counted["databases"]["identified"]
    assert int(n["total_studies"]) == len(review.records)
    assert int(n["records_screened"]) == int(n["records_excluded"]) + int(n["dbr_sought_reports"])
    assert int(n["dbr_sought_reports"]) == int(n["dbr_notretrieved_reports"]) + int(n["dbr_assessed"])


def test_status_box_on_the_index(site, review):
    page = (site / "index.html").read_text(encoding="utf-8")
    studies = sum(r.kind == "study" for r in review.records)
    last = max(row["date"] for row in rows_of(BIB / "searches.tsv"))
    box = page[page.index("review-status"):]
    assert f"Studies included: </strong>{studies} (" in box and f"Last searched: </strong>{last}" in box


def test_what_changed_counts_by_month(site, review):
    page = (site / "views" / "changes.html").read_text(encoding="utf-8")
    added = Counter(r.added[:7] for r in review.records)
    corrected = Counter(r.fields["corrected"][:7] for r in review.records if r.fields.get("corrected"))
    for month, count in added.items():
        assert f"Entries added: {count}. Entries corrected: {corrected.get(month, 0)}." in page
    assert page.count('class="review-corrections') == len(corrected)


def test_papers_by_dataset(site, review):
    page = (site / "views" / "datasets.html").read_text(encoding="utf-8")
    for dataset_id, dataset in review.vocabulary.datasets.items():
        assert html_module.escape(dataset.title, quote=False) in page, dataset_id
    users = [r for r in review.records if "mit-bih" in r.datasets and "ecg" in r.modalities]
    table = page[page.index('id="datasets-ecg"'):]
    table = table[:table.index("</table>")]
    assert users and all(f'href="../references.html#{r.key}"' in table for r in users)


def test_every_chapter_has_its_figures_with_their_data(site, review):
    for modality in review.vocabulary.modalities:
        page = html_module.unescape((site / "modalities" / f"{modality}.html").read_text(encoding="utf-8"))
        records = select(review.records, Selection(modality=(modality,)))
        for kind in ("year-family", "evaluation"):
            alternative = describe(kind, plot_data(kind, records, review.vocabulary))
            assert f'alt="{alternative}"' in page, (modality, kind)
        studies = [r for r in records if r.kind == "study"]
        utility = sum("U" in r.evaluation for r in studies)
        assert f"U Utility: papers {utility}" in page or (utility == 0 and "U Utility: none" in page)


DRAW_PRISMA = """
import sys
from pathlib import Path
from medsynth.review import load_review
from medsynth.sphinxext import apparatus
review = load_review(sys.argv[1], sys.argv[2])
apparatus._draw_flow(apparatus.flow_boxes(apparatus.review_flow(review), review), Path(sys.argv[3]))
"""


def test_the_diagram_is_the_same_file_each_time_it_is_drawn(tmp_path):
    """Drawn in two processes, the SVG is byte for byte the same (matplotlib's ids are random
    unless salted), so a rebuild equals a clean build."""
    drawn = []
    for name in ("first.svg", "second.svg"):
        subprocess.run([sys.executable, "-c", DRAW_PRISMA, str(REPO / "bib" / "review.bib"),
                        str(REPO / "bib" / "vocabulary.yaml"), str(tmp_path / name)], check=True, cwd=REPO)
        drawn.append((tmp_path / name).read_bytes())
    assert drawn[0] == drawn[1]
