"""fzlint/runner.py: the one function every front door calls (check, -j, --fix, audit, compare,
and later a web page and an editor server): the folder's configuration is applied there, and
one file's failure is that file's error, never the run's."""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

import pytest

from fzlint import runner
from fzlint.errors import InputError, RulesetError
from fzlint.parallel import imap
from fzlint.runner import FileReport, Settings, iter_reports, lint_bytes, lint_path, lint_text, walk
from tests.conftest import run_cli, seed

CONFIG = """\
ignore = ["FZ3"]
fail-under = 90
[per-file-ignores]
"b.txt" = ["FZ1"]
[severity]
D1 = "info"
"""


def _configured(tmp_path: Path) -> Path:
    """A folder with a config file (ignore, per-file-ignores, severity, fail-under) and an inline
    directive in one report."""
    d = tmp_path / "reports"
    d.mkdir()
    (d / "fzlint.toml").write_text(CONFIG, encoding="utf-8")
    lines = seed("003").read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "<!-- fzlint: disable=P1 -->\n")
    (d / "a.txt").write_text("".join(lines), encoding="utf-8")
    shutil.copy(seed("004"), d / "b.txt")
    return d


def _findings(report: FileReport) -> list[tuple[str, str, int]]:
    assert report.result is not None
    src = report.result.source
    return [(f.code, f.severity, src.position(f.start)[0]) for f in report.result.findings]


def test_lint_path_applies_the_folder_configuration_as_the_cli_does(tmp_path: Path) -> None:
    d = _configured(tmp_path)
    settings = Settings()
    a, b = lint_path(str(d / "a.txt"), settings), lint_path(str(d / "b.txt"), settings)
    for report in (a, b):
        proc = run_cli("--format", "json", report.path)
        [cli] = json.loads(proc.stdout)["files"]
        assert _findings(report) == [(x["code"], x["severity"], x["line"]) for x in cli["diagnostics"]]
        assert report.score is not None and report.score.value == cli["score"] < 90
        assert report.below_fail_under and report.counted and report.error is None
    assert not any(code.startswith("FZ3") for code, _s, _l in _findings(a) + _findings(b))
    assert a.suppressed[0] > 0 and not any(code.startswith("P1") for code, _s, _l in _findings(a))
    assert b.suppressed[1] > 0 and not any(code.startswith("FZ1") for code, _s, _l in _findings(b))
    assert all(sev == "info" for code, sev, _l in _findings(a) + _findings(b) if code.startswith("D1"))
    isolated = lint_path(str(d / "b.txt"), Settings(isolated=True))
    assert any(code.startswith("FZ1") for code, _s, _l in _findings(isolated))


def test_command_line_overrides_win_over_the_config_file(tmp_path: Path) -> None:
    d = _configured(tmp_path)
    report = lint_path(str(d / "a.txt"), Settings({"ignore": ["FZ1"], "fail-under": 10}))
    assert not any(code.startswith("FZ1") for code, _s, _l in _findings(report))
    assert any(code.startswith("FZ3") for code, _s, _l in _findings(report))  # the file's ignore is replaced
    assert not report.below_fail_under


def test_bytes_text_and_path_give_the_same_report(tmp_path: Path) -> None:
    d = _configured(tmp_path)
    settings = Settings()
    path = str(d / "a.txt")
    data = Path(path).read_bytes()
    by_path = lint_path(path, settings)
    by_bytes = lint_bytes(data, path, settings)
    by_text = lint_text(data.decode("utf-8"), path, settings)
    assert _findings(by_path) == _findings(by_bytes) == _findings(by_text)
    assert by_path.score == by_bytes.score == by_text.score
    assert by_path.suppressed == by_bytes.suppressed == by_text.suppressed


def test_a_word_upload_is_read_by_its_name(tmp_path: Path) -> None:
    from tests.docmaker import seed_body, write_docx

    docx = write_docx(seed_body(seed("001")), tmp_path / "r.docx")
    settings = Settings()
    upload = lint_bytes(docx.read_bytes(), "上传.docx", settings)
    on_disk = lint_path(str(docx), settings)
    assert upload.error is None and upload.result is not None and upload.result.source.format == "docx"
    assert [f.code for f in upload.result.findings] == [f.code for f in on_disk.result.findings]  # type: ignore[union-attr]


def test_an_empty_buffer_or_too_big_upload_is_that_files_error() -> None:
    settings = Settings(max_bytes=1000)
    empty = lint_text("   \n", "buffer.txt", settings)
    assert isinstance(empty.error, InputError) and empty.result is None and "空白" in empty.error.message()
    big = lint_bytes(b"x" * 2000, "upload.txt", settings)
    assert big.error is not None and "过大" in big.error.message()


@pytest.mark.parametrize("exc", [MemoryError(), RecursionError("maximum recursion depth exceeded"), ValueError("bad numbering")])
@pytest.mark.parametrize("stage", ["reader", "document", "rule"])
def test_any_exception_in_one_file_is_that_files_error_and_the_next_file_is_linted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, exc: Exception, stage: str
) -> None:
    """Fault injection at each stage a file goes through: whatever it raises (out of memory, too
    deep, a bug) becomes that file's error, with its type named, and the other files are linted."""
    import fzlint.engine
    import fzlint.ingest.source
    from fzlint.rules.kinds.base import Check

    bad, good = tmp_path / "bad.txt", tmp_path / "good.txt"
    shutil.copy(seed("001"), bad)
    shutil.copy(seed("002"), good)
    if stage == "reader":
        real_read = fzlint.ingest.source._from_bytes

        def read(data: bytes, shown: str):  # type: ignore[no-untyped-def]
            if shown == str(bad):
                raise exc
            return real_read(data, shown)

        monkeypatch.setattr(fzlint.ingest.source, "_from_bytes", read)
    elif stage == "document":
        real_build = fzlint.engine.build_document

        def build(src):  # type: ignore[no-untyped-def]
            if src.path == str(bad):
                raise exc
            return real_build(src)

        monkeypatch.setattr(fzlint.engine, "build_document", build)
    else:
        real_bind = Check.bind

        def bind(self, prefilter, size, limit=None):  # type: ignore[no-untyped-def]
            bound = real_bind(self, prefilter, size, limit)
            if prefilter is not None and prefilter._doc.source.path == str(bad) and self.rule.code == "FZ201":
                def boom(doc, ctx):  # type: ignore[no-untyped-def]
                    raise exc
                    yield

                bound.check = boom
            return bound

        monkeypatch.setattr(Check, "bind", bind)
    reports = list(iter_reports([str(bad), str(good)], Settings()))
    assert [r.path for r in reports] == [str(bad), str(good)]
    assert reports[0].result is None and reports[0].error is not None
    message = reports[0].error.message()
    assert message.startswith(f"{bad}: ") and (type(exc).__name__ in message)
    assert reports[1].ok and reports[1].score is not None


def test_a_broken_ruleset_stops_the_run_instead_of_failing_each_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("ruleset: x\nrules: [{code: 1}]\n", encoding="utf-8")
    shutil.copy(seed("001"), tmp_path / "r.txt")
    with pytest.raises(RulesetError):
        lint_path(str(tmp_path / "r.txt"), Settings({"ruleset": str(tmp_path / "bad.yaml")}))


def test_walk_skips_what_is_not_a_regular_file_and_odd_names(tmp_path: Path) -> None:
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    shutil.copy(seed("001"), d / "a.txt")
    shutil.copy(seed("002"), d / "sub" / "b.md")
    os.mkfifo(d / "pipe.txt")
    (d / "notes.xlsx").write_bytes(b"x")
    (d / "~$a.docx").write_bytes(b"x")
    (d / "a.fzlint.docx").write_bytes(b"x")
    (d / "gone.txt").symlink_to(d / "nowhere.txt")
    found = walk([str(d), str(d / "a.txt"), str(tmp_path / "missing.txt")])
    assert found.files == [str(d / "a.txt"), str(d / "sub" / "b.md"), str(d / "a.txt")]
    assert found.special == [str(d / "pipe.txt")]
    assert str(d / "a.txt") in found.named and str(d / "sub" / "b.md") not in found.named
    assert sorted(Path(p).name for p, _e in found.errors) == ["gone.txt", "missing.txt"]
    assert {Path(p).name for p in found.skipped} == {"notes.xlsx", "~$a.docx", "a.fzlint.docx"}


def test_a_named_fifo_reads_as_empty_instead_of_hanging(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    report = lint_path(str(pipe), Settings())
    assert report.error is not None and "命名管道" in report.error.message()


def test_what_is_not_a_report_is_not_counted_in_a_walk_but_is_when_named(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "hello.txt").write_text("hello\n", encoding="utf-8")
    notice = "关于召开2023年春季运动会的通知\n各单位:\n" + "经研究,定于四月中旬在体育场举行春季运动会,请各单位按时报名,做好组织和安全保障工作。\n" * 4
    (d / "notice.txt").write_text(notice, encoding="utf-8")
    shutil.copy(seed("003"), d / "broken_but_real.txt")  # a badly broken report is still a report
    (d / "fzlint_out.txt").write_bytes(run_cli(str(seed("000")), str(seed("001"))).stdout)
    (d / "fzlint_out.json").write_bytes(b"")  # not a walked suffix at all
    (d / "fzlint_q.txt").write_bytes(run_cli("-q", str(seed("000")), str(seed("001"))).stdout)
    (d / "fzlint_json.txt").write_bytes(run_cli("--format", "json", str(seed("000"))).stdout)
    run_cli("--format", "html", "-o", str(d / "检查结果.html"), str(seed("002")))
    found = walk([str(d)])
    reports = {Path(r.path).name: r for r in iter_reports(found.files, Settings(), named=found.named)}
    assert reports["broken_but_real.txt"].counted and reports["broken_but_real.txt"].not_report is None
    for name in ("hello.txt", "notice.txt"):
        assert not reports[name].counted and reports[name].not_report == runner.NOT_A_REPORT, name
    for name in ("fzlint_out.txt", "fzlint_q.txt", "fzlint_json.txt", "检查结果.html"):
        assert not reports[name].counted and reports[name].not_report == runner.OWN_OUTPUT, name
    named = lint_path(str(d / "hello.txt"), Settings())
    assert named.counted and named.score is not None and named.not_report is not None
    assert "仅供参考" in named.not_report.zh


def test_fix_leaves_a_file_that_is_not_a_report_alone_in_a_walk(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    readme = "# Notes\n\nThese are notes,not a report. Run make;then check.\n说明:草稿,待定。\n"
    (d / "README.md").write_text(readme, encoding="utf-8")
    report_text = seed("001").read_text(encoding="utf-8").replace("。", ".", 3)
    (d / "r.txt").write_text(report_text, encoding="utf-8")
    found = walk([str(d)])
    reports = {Path(r.path).name: r for r in iter_reports(found.files, Settings(), named=found.named, fix="write")}
    assert not reports["README.md"].counted and reports["README.md"].fix is None
    assert (d / "README.md").read_text(encoding="utf-8") == readme
    assert reports["r.txt"].counted and reports["r.txt"].fix is not None and reports["r.txt"].fix.changed
    assert (d / "r.txt").read_text(encoding="utf-8") != report_text


def test_every_seed_is_a_report() -> None:
    for p in sorted(seed("000").parent.glob("*.txt")):
        report = lint_path(str(p), Settings(), named=False)
        assert report.counted and report.not_report is None, p.name


# ---- the one process pool ------------------------------------------------------------------
def _square_or_die(chunk: list[int]) -> list[int]:
    """A worker that dies (as a native crash or the OOM killer would kill it) on item 13."""
    for x in chunk:
        if x == 13:
            os.kill(os.getpid(), signal.SIGKILL)
    return [x * x for x in chunk]


def test_a_worker_that_dies_is_its_items_error_and_the_pool_goes_on() -> None:
    items = list(range(60))
    got = list(imap(_square_or_die, items, 2, crashed=lambda x, why: f"crashed {x}: {why[0][:6]}", max_chunk=4))
    assert got[:13] == [x * x for x in range(13)] and got[14:] == [x * x for x in range(14, 60)]
    assert isinstance(got[13], str) and got[13].startswith("crashed 13: 处理该文件的")


def _square_or_raise(chunk: list[int]) -> list[object]:
    """A worker function that raises for item 7 and returns something unpicklable for item 8."""
    if 7 in chunk:
        raise ValueError("seven")
    return [(lambda x=x: x) if x == 8 else x * x for x in chunk]


def test_a_chunk_that_raises_is_retried_item_by_item() -> None:
    got = list(imap(_square_or_raise, list(range(20)), 2, crashed=lambda x, why: f"crashed {x}: {why[1]}", max_chunk=4))
    assert got[:7] == [x * x for x in range(7)] and got[9:] == [x * x for x in range(9, 20)]
    assert got[7] == "crashed 7: error while processing this file: ValueError: seven"
    assert isinstance(got[8], str) and got[8].startswith("crashed 8: error while processing this file:")


def test_pool_results_come_in_order_whatever_finishes_first() -> None:
    items = list(range(100))
    assert list(imap(_square_or_die, [i for i in items if i != 13], 3, crashed=lambda x, why: None)) == [
        x * x for x in items if x != 13
    ]
    unordered = list(imap(_square_or_die, [i for i in items if i != 13], 3, crashed=lambda x, why: None, ordered=False))
    assert sorted(unordered) == [x * x for x in items if x != 13]


def test_j2_gives_the_reports_j1_gives(tmp_path: Path) -> None:
    d = _configured(tmp_path)
    shutil.copy(seed("000"), d / "c.txt")
    (d / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    found = walk([str(d)])
    one = list(iter_reports(found.files, Settings(), named=found.named))
    two = list(iter_reports(found.files, Settings(), jobs=2, named=found.named))
    assert [r.path for r in one] == [r.path for r in two] == found.files
    for a, b in zip(one, two, strict=True):
        assert (a.score, a.suppressed, a.below_fail_under, a.counted) == (b.score, b.suppressed, b.below_fail_under, b.counted)
        assert (a.error and a.error.message()) == (b.error and b.error.message())
        if a.result is not None:
            assert _findings(a) == _findings(b)
            assert b.result is not None and b.result.ruleset.id == a.result.ruleset.id
