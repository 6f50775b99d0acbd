"""Benchmark: the review's build at 1,000 / 5,000 / 20,000 entries against a plain baseline.

``python -m medsynth.bench`` (or ``make bench``) generates synthetic bibs (every modality and
family, 5-10 authors with accents), builds the real site layout with them, and measures lint
time, a full HTML build, a rebuild with nothing changed, a rebuild after editing one entry and
peak memory, for three sites (and, for the whole site, the same edit with each file the
extension keeps between builds deleted first, which is what that file saves):

* ``medsynth``: the whole site, with the cross-cutting views, plots and downloads;
* ``medsynth-tables``: the same pages as the baseline (chapters, glossary, references);
* ``baseline``: the chapters' tables as MyST text with sphinxcontrib-bibtex ``{cite:p}``
  citations and one ``{bibliography}`` of every entry, the straightforward build.

Results are printed as a table and written to ``benchmarks/results/bench.md``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .vocabulary import load_vocabulary

REPO = Path(__file__).resolve().parents[2]
FAMILIES_ = ("Müller", "Łukasiewicz", "García", "Nguyễn", "O'Neil", "Søndergaard", "Zhang", "Kovács",
             "Doe", "Smith", "Ibrahim", "Tanaka", "Dubois", "Çelik", "Novák", "Rossi")
GIVEN = ("Ana", "José", "Zoë", "Jürgen", "Siân", "Li", "Chloé", "Miloš", "Ahmed", "Yuki")
WORDS = ("diffusion", "adversarial", "synthesis", "augmentation", "privacy", "conditional", "latent",
         "translation", "segmentation", "signals", "images", "records", "clinical", "federated")


def generate_bib(count: int, seed: int = 7) -> str:
    """A realistic synthetic bib: the review's fields on every entry, varied and unique."""
    rng = random.Random(seed)
    vocabulary = load_vocabulary(REPO / "bib" / "vocabulary.yaml")
    modalities = [m for m in vocabulary.modalities]
    families = list(vocabulary.families)
    codes = list(vocabulary.categories)
    metrics = list(vocabulary.metrics)
    entries = []
    for index in range(count):
        authors = " and ".join(f"{rng.choice(FAMILIES_)}, {rng.choice(GIVEN)}" for _ in range(rng.randint(5, 10)))
        year = rng.randint(2015, 2026)
        month = rng.randint(1, 12)
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12))).capitalize()
        fields = [
            ("title", "{" + f"{title} {{GAN}} {index}" + "}"),
            ("author", "{" + authors + "}"),
            ("journal", "{Journal of Synthetic Medicine \\& Data}"),
            ("year", "{" + str(year) + "}"),
            ("doi", "{" + f"10.5555/bench.{index}" + "}"),
            ("modality", "{" + ", ".join(rng.sample(modalities, rng.choice((1, 1, 1, 2)))) + "}"),
            ("family", "{" + ", ".join(rng.sample(families, rng.choice((1, 1, 2)))) + "}"),
            ("evaluation", "{" + ", ".join(sorted(rng.sample(codes, rng.randint(1, 4)), key=codes.index)) + "}"),
            ("metrics", "{" + ", ".join(rng.sample(metrics, rng.randint(0, 3))) + "}"),
            ("architecture", "{StyleGAN2-ADA variant " + str(index % 97) + "}"),
            ("application", "{" + rng.choice(("unconditional", "class-conditional", "text-to-image")) + "}"),
            ("code", "{" + f"https://github.com/bench/repo-{index}?tab=readme&x=1%20" + "}"),
            ("date", "{" + f"{year}-{month:02d}" + "}"),
            ("verified", f"{{https://example.org/bench/{index}}}"),
            ("coding", "{review}"),
            ("added", "{2026-11-21}"),
        ]
        if index % 3 == 0:
            # a new-style arXiv id issued in the month the entry appeared
            fields.insert(5, ("eprint", "{" + f"{year % 100:02d}{month:02d}.{index % 100000:05d}" + "}"))
            fields.insert(6, ("archiveprefix", "{arXiv}"))
        body = "".join(f"  {name} = {value},\n" for name, value in fields if value != "{}")
        entries.append(f"@article{{bench{index:05d},\n{body}}}\n")
    return "\n".join(entries)


def make_site(root: Path, bib: str, baseline: bool, views: bool = True) -> None:
    """The real site's layout with *bib*; the baseline writes its tables as MyST citation text.

    Without *views* (and always for the baseline) the cross-cutting views are left out, so
    that both sites render the same pages: the chapters, the glossary and the references.
    """
    shutil.copytree(REPO / "docs", root / "docs")
    (root / "bib").mkdir()
    (root / "bib" / "review.bib").write_text(bib, encoding="utf-8")
    shutil.copyfile(REPO / "bib" / "vocabulary.yaml", root / "bib" / "vocabulary.yaml")
    shutil.copyfile(REPO / "conf.py", root / "conf.py")
    with open(root / "conf.py", "a", encoding="utf-8") as conf:
        conf.write(f"\nimport sys\nsys.path.insert(0, {str(REPO / 'scripts')!r})\n")
    # The pages' prose cites the real review's papers, which a generated bib does not hold.
    for page in (root / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        cited = re.sub(r"\{cite:t\}`[^`]*`", "the cited work", re.sub(r"\s*\{cite:p\}`[^`]*`", "", text))
        if cited != text:
            page.write_text(cited, encoding="utf-8")
    if baseline or not views:
        shutil.rmtree(root / "docs" / "views")
        index = (root / "docs" / "index.md").read_text(encoding="utf-8")
        start = index.index("```{toctree}\n:caption: Views")
        index = index[:start] + index[index.index("```", start + 3) + 4:]
        (root / "docs" / "index.md").write_text(index, encoding="utf-8")
    if baseline:
        _baseline_pages(root, bib)


def _baseline_pages(root: Path, bib: str) -> None:
    from .bibfile import parse_bib
    from .review import Selection, select

    records = parse_bib(bib).records
    vocabulary = load_vocabulary(root / "bib" / "vocabulary.yaml")
    for modality in vocabulary.modalities:
        rows = select(records, Selection(modality=(modality,), kind=("study",)))
        lines = [f"# {vocabulary.modalities[modality].title}\n", "```{list-table}", ":header-rows: 1\n",
                 "* - Paper\n  - Family\n  - Application\n  - Architecture\n  - Evaluation\n  - Date"]
        for r in rows:
            lines.append(f"* - {{cite:p}}`{r.key}`\n  - {', '.join(r.families)}\n  - {r.application}\n"
                         f"  - {r.architecture}\n  - {' '.join(r.evaluation)}\n  - {r.date}")
        lines.append("```\n")
        (root / "docs" / "modalities" / f"{modality}.md").write_text("\n".join(lines), encoding="utf-8")
    (root / "docs" / "references.md").write_text("# References\n\n```{bibliography}\n:all:\n```\n", encoding="utf-8")
    (root / "docs" / "glossary.md").write_text("# Glossary\n", encoding="utf-8")
    (root / "docs" / "surveys.md").write_text("# Surveys\n", encoding="utf-8")
    conf = root / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8").replace('"medsynth.sphinxext",', ""), encoding="utf-8")


def timed(command: list[str], cwd: Path, timeout: float) -> tuple[float | None, float]:
    """Wall seconds (None past *timeout*) and peak resident memory in MiB of one command."""
    with tempfile.TemporaryFile() as errors:  # not a pipe: a chatty build would fill it and stall
        return _timed(command, cwd, timeout, errors)


def _timed(command: list[str], cwd: Path, timeout: float, errors) -> tuple[float | None, float]:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            return None, usage.ru_maxrss / 1024
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        errors.seek(0)
        raise RuntimeError(f"{' '.join(command)} failed:\n{errors.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def edit_one_entry(bib_path: Path, variant: int = 1) -> None:
    text = bib_path.read_text(encoding="utf-8")
    bib_path.write_text(text.replace(f"variant {variant}}}", f"variant {variant} (edited)}}", 1), encoding="utf-8")


#: What the extension keeps beside the environment between builds, and what each is for.
KEPT_FILES = {
    "medsynth-entries.pickle": "parsed and checked entries",
    "medsynth-entries-shown.pickle": "entry facets, to pick the pages an edit touches",
    "medsynth-exports.pickle": "each entry's text in every download format",
    "medsynth-exports-html.json": "which downloads are up to date",
    "medsynth-letters-html.json": "which letter pages are up to date",
}


def cache_value(root: Path, build: list[str], timeout: float) -> list[tuple[str, float | None]]:
    """A one-entry edit rebuilt with each kept file deleted first: what that file saves."""
    doctrees = root / "_build" / "html" / ".doctrees"
    timings = []
    for variant, name in enumerate(KEPT_FILES, start=31):
        edit_one_entry(root / "bib" / "review.bib", variant)
        (doctrees / name).unlink(missing_ok=True)
        timings.append((name, timed(build, root, timeout)[0]))
    return timings


def measure(count: int, site: str, jobs: str, timeout: float, with_print: bool = True) -> dict:
    bib = generate_bib(count)
    baseline = site == "baseline"
    with tempfile.TemporaryDirectory(prefix="medsynth-bench-") as tmp:
        root = Path(tmp)
        make_site(root, bib, baseline, views=site == "medsynth")
        result = {"entries": count, "site": site}
        if not baseline:
            result["lint"], _ = timed([sys.executable, "-m", "medsynth", "lint", "bib/review.bib"], root, timeout)
        build = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", jobs, "-c", ".", "docs", "_build/html"]
        result["full"], result["peak_mib"] = timed(build, root, timeout)
        if result["full"] is None:
            return result
        result["noop"], _ = timed(build, root, timeout)
        # The first edit after a full build also writes the caches that build left out; a
        # contributor's edits after it are what the median of three shows.
        edits = []
        for variant in (1, 11, 21):
            edit_one_entry(root / "bib" / "review.bib", variant)
            edits.append(timed(build, root, timeout)[0])
        result["first_edit"], result["edit"] = edits[0], statistics.median(edits)
        if site == "medsynth":
            result["without"] = cache_value(root, build, timeout)
        if site == "medsynth" and with_print:
            # The print formats as Read the Docs builds them (clean builds, warnings as errors).
            result["epub"], _ = timed([sys.executable, "-m", "sphinx", "-b", "epub", "-q", "-W", "-d",
                                       "_build/doctrees-epub", "-c", ".", "docs", "_build/epub"], root, timeout)
            result["pdf"], result["pdf_peak_mib"] = timed([sys.executable, "-m", "sphinx", "-M", "latexpdf", "docs",
                                                           "_build", "-q", "-W", "-c", "."], root, timeout)
        return result


def fmt_seconds(value) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def print_table(results: list[dict]) -> str:
    lines = ["| entries | EPUB s | PDF s (Sphinx + latexmk) | PDF peak MiB |", "|---:|---:|---:|---:|"]
    for r in results:
        if "pdf" in r or "epub" in r:
            lines.append(f"| {r['entries']:,} | {fmt_seconds(r.get('epub'))} | {fmt_seconds(r.get('pdf'))} | "
                         f"{r.get('pdf_peak_mib') or 0:.0f} |")
    return "\n".join(lines)


def table(results: list[dict]) -> str:
    lines = ["| entries | site | lint s | full build s | no-change rebuild s | first edit s | one-entry edit s "
             "(median of 3) | edit/full | peak MiB |", "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        ratio = f"{r['edit'] / r['full']:.0%}" if r.get("edit") and r.get("full") else "n/a"
        lines.append(f"| {r['entries']:,} | {r['site']} | {fmt_seconds(r.get('lint'))} | "
                     f"{fmt_seconds(r.get('full')) if r.get('full') is not None else 'timeout'} | "
                     f"{fmt_seconds(r.get('noop'))} | {fmt_seconds(r.get('first_edit'))} | {fmt_seconds(r.get('edit'))} | "
                     f"{ratio} | {r['peak_mib']:.0f} |")
    return "\n".join(lines)


def cache_table(results: list[dict]) -> str:
    lines = ["| entries | kept file (what for) | one-entry edit s | without it s |", "|---:|---|---:|---:|"]
    for r in results:
        for name, seconds in r.get("without", ()):
            lines.append(f"| {r['entries']:,} | `{name}` ({KEPT_FILES[name]}) | {fmt_seconds(r.get('edit'))} | "
                         f"{fmt_seconds(seconds)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m medsynth.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000")
    parser.add_argument("--baseline-sizes", default="1000,5000", help="the baseline is too slow beyond 5,000")
    parser.add_argument("--jobs", default="auto", help="sphinx-build -j for our site")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--no-print", action="store_true", help="skip the EPUB and PDF builds")
    parser.add_argument("-o", "--output", type=Path, default=REPO / "benchmarks" / "results" / "bench.md")
    args = parser.parse_args(argv)
    results = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        sites = ["medsynth", "medsynth-tables"] + (["baseline"] if str(size) in args.baseline_sizes.split(",") else [])
        for site in sites:
            results.append(measure(size, site, "1" if site == "baseline" else args.jobs, args.timeout,
                                   with_print=not args.no_print))
            print(table(results[-1:]).splitlines()[-1], flush=True)
    report = table(results) + "\n\n" + cache_table(results) + "\n\n" + print_table(results)
    print("\n" + report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(f"# medsynth benchmark ({os.cpu_count()} cores)\n\n{report}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
