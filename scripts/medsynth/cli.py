"""``medsynth``: the contributors' and readers' command-line tool."""

from __future__ import annotations

import argparse
import gc
import re
import sys
from pathlib import Path

from . import __version__, config, export
from .add import add_to_bib
from .fmt import format_file
from .importer import import_markdown, to_bibtex
from .review import Selection, load_review, select
from .vocabulary import VocabularyError, load_vocabulary


def _lint(args: argparse.Namespace) -> int:
    if args.chapters and not args.chapters.is_dir():
        print(f"medsynth: error: chapters folder {args.chapters} does not exist", file=sys.stderr)
        return 2
    review = load_review(args.path, args.vocabulary or config.vocabulary_beside(args.path),
                         args.chapters or config.chapters_for(args.path))
    bib, problems = review.bib, review.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        print(f"{args.path}: {errors} error{'s' * (errors != 1)} in {len(bib.records)} entries", file=sys.stderr)
        return 1
    print(f"{args.path}: {len(bib.records)} entries, no problems")
    return 0


def _import_md(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{args.file}:0: error: cannot read file: {error}", file=sys.stderr)
        return 1
    result = import_markdown(text, str(args.file))
    for problem in result.problems:
        print(problem, file=sys.stderr)
    output = to_bibtex(result, str(args.file))
    if args.output:
        args.output.write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    print(f"{args.file}: {len(result.candidates)} rows imported, {result.skipped} rows skipped, "
          f"{len(result.problems)} problems reported", file=sys.stderr)
    return 0


def _selection(args: argparse.Namespace) -> Selection:
    def ids(value: str | None, upper: bool = False) -> tuple[str, ...]:
        parts = [p.strip() for p in (value or "").split(",") if p.strip()]
        return tuple(p.upper() if upper else p.lower() for p in parts)

    return Selection(modality=ids(args.modality), family=ids(args.family),
                     evaluation=ids(args.evaluation, upper=True), kind=ids(args.kind),
                     coding=ids(getattr(args, "coding", None)), datasets=ids(getattr(args, "datasets", None)),
                     since=args.since or "")


def _export(args: argparse.Namespace) -> int:
    review = load_review(args.path, args.vocabulary or config.vocabulary_beside(args.path))
    if review.bib.problems:
        for problem in review.bib.problems:
            print(problem, file=sys.stderr)
        print(f"{args.path}: not exported: the file did not parse completely", file=sys.stderr)
        return 1
    selection = _selection(args)
    unknown = selection.unknown_ids(review.vocabulary)
    if args.since and not re.match(r"^\d{4}(-\d{2})?$", args.since):
        unknown.append(f"--since {args.since!r} is not YYYY or YYYY-MM")
    if unknown:
        print("medsynth: error: " + "; ".join(unknown), file=sys.stderr)
        return 2
    records = select(review.records, selection)
    text = export.render(args.format, review.bib, records, keep_custom=args.keep_custom)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"exported {len(records)} entries as {args.format}", file=sys.stderr)
    return 0


def _fmt(args: argparse.Namespace) -> int:
    status, messages = format_file(args.path, check=args.check)
    for message in messages:
        print(message, file=sys.stderr if status else sys.stdout)
    return status


def _add(args: argparse.Namespace) -> int:
    vocabulary = load_vocabulary(args.vocabulary or config.vocabulary_beside(args.bib))
    taxonomy = {"modality": args.modality, "family": args.family, "evaluation": args.evaluation,
                "kind": args.kind}
    unknown = _selection(args).unknown_ids(vocabulary)
    if unknown:
        print("medsynth: error: " + "; ".join(unknown), file=sys.stderr)
        return 2
    taxonomy = {name: ", ".join(p.strip() for p in value.split(",")) for name, value in taxonomy.items() if value}
    if "evaluation" in taxonomy:
        taxonomy["evaluation"] = taxonomy["evaluation"].upper()
    status, messages = add_to_bib(args.bib, args.identifier, taxonomy, vocabulary, use_template=args.template,
                                  found_in=args.found_in)
    for message in messages:
        print(message, file=sys.stderr if status else sys.stdout)
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="medsynth", description=__doc__)
    parser.add_argument("--version", action="version", version=f"medsynth {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    lint = commands.add_parser("lint", help="check the bib: syntax, fields, vocabulary, links, duplicates")
    lint.add_argument("path", nargs="?", type=Path, default=config.DEFAULT_BIB)
    lint.add_argument("--vocabulary", type=Path, help="vocabulary file (default: beside the bib)")
    lint.add_argument("--chapters", type=Path, help="folder of modality chapters (default: docs/modalities)")
    lint.set_defaults(run=_lint)

    importer = commands.add_parser("import-md", help="candidate entries from a markdown table of papers")
    importer.add_argument("file", type=Path)
    importer.add_argument("-o", "--output", type=Path, help="write the candidates here (default: stdout)")
    importer.set_defaults(run=_import_md)

    exporter = commands.add_parser("export", help="the bib, or a filtered part, as BibTeX, CSL-JSON, RIS or CSV")
    exporter.add_argument("path", nargs="?", type=Path, default=config.DEFAULT_BIB)
    exporter.add_argument("--vocabulary", type=Path, help="vocabulary file (default: beside the bib)")
    exporter.add_argument("--modality", help="modality ids, comma separated")
    exporter.add_argument("--family", help="model family ids, comma separated")
    exporter.add_argument("--evaluation", help="evaluation codes, comma separated")
    exporter.add_argument("--kind", help="study or survey")
    exporter.add_argument("--coding", help="where the coding came from: survey or review")
    exporter.add_argument("--datasets", help="dataset ids, comma separated")
    exporter.add_argument("--since", help="only entries dated in or after YYYY or YYYY-MM")
    exporter.add_argument("--format", choices=export.FORMATS, default="bibtex")
    exporter.add_argument("--keep-custom", action="store_true", help="keep the review's own fields in BibTeX")
    exporter.add_argument("-o", "--output", type=Path, help="write here (default: stdout)")
    exporter.set_defaults(run=_export)

    formatter = commands.add_parser("fmt", help="rewrite the bib in its canonical, lossless form")
    formatter.add_argument("path", nargs="?", type=Path, default=config.DEFAULT_BIB)
    formatter.add_argument("--check", action="store_true", help="change nothing; exit 1 if the file is not canonical")
    formatter.set_defaults(run=_fmt)

    adder = commands.add_parser("add", help="add a paper from its DOI or arXiv id")
    adder.add_argument("identifier", help="a DOI (10.xxxx/...) or an arXiv id (2306.01875)")
    adder.add_argument("--bib", type=Path, default=config.DEFAULT_BIB)
    adder.add_argument("--vocabulary", type=Path, help="vocabulary file (default: beside the bib)")
    adder.add_argument("--modality", help="modality ids, comma separated")
    adder.add_argument("--family", help="model family ids, comma separated")
    adder.add_argument("--evaluation", help="evaluation codes, comma separated")
    adder.add_argument("--kind", help="survey or resource (default: a study)")
    adder.add_argument("--template", action="store_true", help="with no network, write an entry to fill in by hand")
    adder.add_argument("--found-in", default="contributions",
                       help="the search of bib/searches.tsv that found the paper (default: contributions)")
    adder.set_defaults(run=_add, since="")
    return parser


def command() -> int:
    """The ``medsynth`` command. It is short-lived and builds a large, acyclic set of records,
    which Python's cycle collector would only re-scan over and over (a third of the time of
    ``medsynth lint`` on 20,000 entries), so the collector stays off."""
    gc.disable()
    return main()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except VocabularyError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the promise is: a message, never a traceback
        print(f"medsynth: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
