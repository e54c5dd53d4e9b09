"""One Linter lints several documents at once (an editor's buffers, a web server's uploads): the
per-document state lives in the document's Context and in the checks bound to it (Check.bind),
not in the Linter, the checks or module globals."""

from __future__ import annotations

from fzlint.engine import Linter
from fzlint.ingest import load_path
from fzlint.rules.loader import load_ruleset, resolve
from tests.conftest import SEEDS


def test_interleaved_documents_keep_their_own_shared_computations() -> None:
    """Kinds that compute something once per document for several rules (punctuation marks,
    sessions cited, the units of a part, repeated paragraphs) keep it in that document's context:
    linting A, then B, then A's checks again on A's context gives A's findings."""
    from fzlint.document import build_document
    from fzlint.rules.context import Context
    from fzlint.rules.kinds.base import Prefilter

    linter = Linter(load_ruleset(str(resolve("fazhi-annual", None))))
    seeds = sorted(SEEDS.glob("*.txt"))
    doc_a, doc_b = (build_document(load_path(p)) for p in (seeds[2], seeds[4]))
    ctx_a, ctx_b = Context(doc_a, linter.options), Context(doc_b, linter.options)
    pf_a, pf_b = Prefilter(doc_a), Prefilter(doc_b)
    found_a: list[tuple[str, int, int]] = []
    found_b: list[tuple[str, int, int]] = []
    for check in linter.checks:
        # both documents' generators are open at once and advanced in turn
        it_a = check.bind(pf_a, len(doc_a.norm)).check(doc_a, ctx_a)
        it_b = check.bind(pf_b, len(doc_b.norm)).check(doc_b, ctx_b)
        done_a = done_b = False
        while not (done_a and done_b):
            if not done_a:
                f = next(it_a, None)
                done_a = f is None
                if f is not None:
                    found_a.append((f.code, f.start, f.end))
            if not done_b:
                f = next(it_b, None)
                done_b = f is None
                if f is not None:
                    found_b.append((f.code, f.start, f.end))
    assert sorted(found_a) == sorted((f.code, f.start, f.end) for f in linter.lint_document(doc_a).findings)
    assert sorted(found_b) == sorted((f.code, f.start, f.end) for f in linter.lint_document(doc_b).findings)
