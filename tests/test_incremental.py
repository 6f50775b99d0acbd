"""Differential test of incremental builds: after every step of a seeded random sequence of edits,
the incrementally built site equals a clean build of the same sources, file for file.

``make test`` runs a short sequence; ``make test-incremental`` runs a long one
(``MEDSYNTH_INCREMENTAL_STEPS``, default 200, and ``MEDSYNTH_INCREMENTAL_SEED``). A failure names
the seed and the steps so far, which replay exactly.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path


import medsynth
from medsynth.bench import generate_bib, make_site

STEPS = int(os.environ.get("MEDSYNTH_INCREMENTAL_STEPS", "6"))
SEED = int(os.environ.get("MEDSYNTH_INCREMENTAL_SEED", "20261201"))
#: Build state and files that name the build rather than its content.
IGNORED = (".doctrees", ".buildinfo")


def build(root: Path, out: str) -> list[str]:
    """Build; return the review's own warnings (the build runs without -W so that a step that
    makes the bib invalid is compared too)."""
    result = subprocess.run([sys.executable, "-m", "sphinx", "-N", "-q", "-b", "html", "-j", "1", "-c", ".", "docs",
                             out], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return sorted(line for line in result.stderr.splitlines() if "[review]" in line)


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not any(part in IGNORED for part in p.relative_to(out).parts)}


class Edits:
    """The kinds of edit a contributor makes, applied to a site at random."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng = root, rng
        self.bib = root / "bib" / "review.bib"
        self.vocabulary = root / "bib" / "vocabulary.yaml"
        self.added = 0

    def entries(self, text: str) -> list[re.Match]:
        return list(re.finditer(r"^@article\{(bench\d+|extra\d+),\n.*?^\}\n", text, re.M | re.S))

    def field(self, text: str) -> str:
        entry = self.rng.choice(self.entries(text))
        body = entry.group(0)
        choice = self.rng.choice(["architecture", "evaluation", "modality", "family", "title", "date"])
        if choice == "evaluation":
            new = re.sub(r"evaluation = \{[^}]*\}", "evaluation = {" + self.rng.choice(["U", "F, Q", "C, P"]) + "}", body)
        elif choice == "modality":
            new = re.sub(r"modality = \{[^}]*\}", "modality = {" + self.rng.choice(["ecg", "mri", "ehr, text"]) + "}", body)
        elif choice == "family":
            new = re.sub(r"family = \{[^}]*\}", "family = {" + self.rng.choice(["gan", "diffusion", "vae, flow"]) + "}", body)
        elif choice == "date":
            new = re.sub(r"date = \{[^}]*\}", "date = {20" + str(self.rng.randint(15, 25)) + "-0" + str(self.rng.randint(1, 9)) + "}", body)
        else:
            new = body.replace(f"  {choice} = {{", f"  {choice} = {{Edited {self.rng.randint(0, 999)} ", 1)
        return text[:entry.start()] + new + text[entry.end():]

    def add(self, text: str) -> str:
        entry = self.rng.choice(self.entries(text)).group(0)
        self.added += 1
        key = f"extra{self.added:04d}"
        new = re.sub(r"^@article\{[^,]+,", f"@article{{{key},", entry)
        new = re.sub(r"doi = \{[^}]*\}", f"doi = {{10.5555/extra.{self.added}}}", new)
        new = re.sub(r"  eprint = \{[^}]*\},\n  archiveprefix = \{arXiv\},\n", "", new)
        # sometimes an old entry, which a view cut to its newest papers does not show
        if self.rng.random() < 0.5:
            new = re.sub(r"date = \{[^}]*\}", "date = {2015-01}", re.sub(r"added = \{[^}]*\}", "added = {2020-01-01}", new))
        return text + "\n" + new

    def remove(self, text: str) -> str:
        entry = self.rng.choice(self.entries(text))
        return text[:entry.start()] + text[entry.end():]

    def move(self, text: str) -> str:
        entry = self.rng.choice(self.entries(text))
        rest = text[:entry.start()] + text[entry.end():]
        return rest + "\n" + entry.group(0)

    def string(self, text: str) -> str:
        if "@string{jn" not in text:
            text = '@string{jn = {Journal of Strings}}\n\n' + text
            return re.sub(r"journal = \{Journal of Synthetic Medicine \\& Data\}", "journal = jn", text, count=40)
        if self.rng.random() < 0.6:
            return re.sub(r"@string\{jn = \{[^}]*\}\}", "@string{jn = {Journal of Strings " + str(self.rng.randint(0, 99)) + "}}", text)
        # removed: the entries that use it now have an undefined @string
        return re.sub(r"@string\{jn = \{[^}]*\}\}\n\n", "", text)

    def vocabulary_term(self) -> None:
        text = self.vocabulary.read_text(encoding="utf-8")
        text = re.sub(r"(  - id: vae\n    short: VAE\n    title: )[^\n]*", r"\g<1>Variational autoencoder " +
                      str(self.rng.randint(0, 99)), text)
        self.vocabulary.write_text(text, encoding="utf-8")

    def directive(self) -> None:
        page = self.root / "docs" / "modalities" / self.rng.choice(["ecg.md", "mri.md", "ehr.md"])
        text = page.read_text(encoding="utf-8")
        if ":family: gan\n" in text:
            text = text.replace(":family: gan\n", "", 1)
        else:
            text = re.sub(r"(```\{review-table\}\n:modality: \w+\n)", r"\g<1>:family: gan\n", text, count=1)
        page.write_text(text, encoding="utf-8")

    #: Strings in the code that renders a view, an export or a plot, and what an edit makes them.
    CODE = (("medsynth/sphinxext/render.py", '("Architecture", 15)', '("Architecture (edited)", 15)'),
            ("medsynth/export.py", '"key", "kind", "title"', '"key", "kind of entry", "title"'),
            ("medsynth/sphinxext/plots.py", '"Papers per year, by model family"', '"Papers per year, by family"'))

    def code(self) -> None:
        """Edit (or restore) the site's own copy of the extension (see :func:`site_with_own_code`)."""
        module, before, after = self.rng.choice(self.CODE)
        path = self.root / "scripts" / module
        text = path.read_text(encoding="utf-8")
        assert before in text or after in text, f"{module} no longer holds {before}: update Edits.CODE"
        path.write_text(text.replace(before, after) if before in text else text.replace(after, before),
                        encoding="utf-8")

    def page(self) -> None:
        extra = self.root / "docs" / "extra.md"
        if extra.exists():
            extra.unlink()
        else:
            extra.write_text("---\norphan: true\n---\n\n# Extra\n\n```{review-table}\n:family: diffusion\n"
                             ":limit: 5\n```\n", encoding="utf-8")

    def step(self) -> str:
        kind = self.rng.choice(["field", "field", "add", "remove", "move", "string", "vocabulary", "directive",
                                "page", "code"])
        if kind == "code":
            self.code()
        elif kind == "vocabulary":
            self.vocabulary_term()
        elif kind == "directive":
            self.directive()
        elif kind == "page":
            self.page()
        else:
            text = self.bib.read_text(encoding="utf-8")
            self.bib.write_text(getattr(self, kind)(text), encoding="utf-8")
        return kind


def site_with_own_code(root: Path, bib: str, **options) -> None:
    """A site that builds with its own copy of the package, so that a step can change the code."""
    make_site(root, bib, baseline=False, **options)
    shutil.copytree(Path(medsynth.__file__).parent, root / "scripts" / "medsynth",
                    ignore=shutil.ignore_patterns("__pycache__"))
    conf = root / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + f"sys.path.insert(0, {str(root / 'scripts')!r})\n",
                    encoding="utf-8")


def test_incremental_builds_equal_clean_builds(tmp_path):
    root = tmp_path / "site"
    site_with_own_code(root, generate_bib(300))
    rng = random.Random(SEED)
    edits = Edits(root, rng)
    build(root, "_build/incremental")
    done = []
    for number in range(STEPS):
        done.append(edits.step())
        assert_edited_equals_clean(root, f"seed {SEED}, step {number + 1} of {STEPS} ({', '.join(done)})")


def assert_edited_equals_clean(root: Path, where: str) -> None:
    """Build the edited site again, then from scratch, and compare every file and the warnings."""
    kept = build(root, "_build/incremental")
    shutil.rmtree(root / "_build" / "clean", ignore_errors=True)
    fresh = build(root, "_build/clean")
    incremental, clean = outputs(root / "_build" / "incremental"), outputs(root / "_build" / "clean")
    assert sorted(incremental) == sorted(clean), f"{where}: files differ in name"
    differing = [name for name in clean if incremental[name] != clean[name]]
    assert differing == [], f"{where}: {differing[:10]}"
    assert kept == fresh, f"{where}: warnings differ: {kept[:3]} against {fresh[:3]}"


def test_a_change_to_the_code_renders_as_a_clean_build_does(tmp_path):
    """An edit of the code behind a table, an export and a plot shows in the edited build."""
    root = tmp_path / "site"
    site_with_own_code(root, generate_bib(60))
    build(root, "_build/incremental")
    edits = Edits(root, random.Random(0))
    for module, before, after in Edits.CODE:
        edits.CODE = ((module, before, after),)
        edits.code()
        assert after in (root / "scripts" / module).read_text(encoding="utf-8")
    assert_edited_equals_clean(root, "after editing " + ", ".join(module for module, _, _ in Edits.CODE))


def test_removing_a_string_warns_as_a_clean_build_does(tmp_path):
    """The entries that used an @string now name an undefined one: the edited build says so as a
    clean build does (their kept problems were checked with the @string still defined)."""
    root = tmp_path / "site"
    make_site(root, generate_bib(60), baseline=False, views=False)
    bib = root / "bib" / "review.bib"
    edits = Edits(root, random.Random(1))
    bib.write_text(edits.string(bib.read_text(encoding="utf-8")), encoding="utf-8")
    assert build(root, "_build/incremental") == []
    bib.write_text(re.sub(r"@string\{jn = \{[^}]*\}\}\n\n", "", bib.read_text(encoding="utf-8")), encoding="utf-8")
    kept = build(root, "_build/incremental")
    assert kept and all("undefined @string 'jn'" in line for line in kept)
    assert kept == build(root, "_build/clean")
