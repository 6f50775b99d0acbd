"""``medsynth``: the contributors' and readers' command-line tool."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, config
from .importer import import_markdown, to_bibtex
from .review import load_review
from .vocabulary import VocabularyError


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
    return parser


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
