"""What fzlint must find in the five real seed reports (issue: end to end)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli, seed


def lint_seed(prefix: str) -> dict:
    proc = run_cli("--format", "json", str(seed(prefix)))
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return json.loads(proc.stdout)["files"][0]


@pytest.fixture(scope="module")
def seeds() -> dict[str, dict]:
    proc = run_cli("--format", "json", *(str(seed(p)) for p in ("000", "001", "002", "003", "004")))
    files = json.loads(proc.stdout)["files"]
    return {f["path"].split("/")[-1][:3]: f for f in files}


def codes(f: dict) -> list[str]:
    return [d["code"] for d in f["diagnostics"]]


def status(f: dict) -> dict[str, str]:
    return {k: v["status"] for k, v in f["elements"].items()}


def test_001_xinyu_all_parts_by_heading(seeds: dict) -> None:
    f = seeds["001"]
    st = status(f)
    assert st["measures"] == st["problems"] == st["first_responsible"] == st["next_year_plan"] == "heading"
    assert st["causes"] != "missing"
    assert f["elements"]["problems"]["evidence"] == "二、存在的不足和原因"
    assert f["elements"]["next_year_plan"]["evidence"] == "四、2022年度主要工作安排"
    assert f["elements"]["first_responsible"]["evidence"] == "三、党政主要负责人履行第一责任人职责情况"
    assert st["three_systems"] != "missing" and "FZ112" not in codes(f)
    assert "FZ311" in codes(f)  # no signature block: the text ends in page noise
    assert f["report"]["signed_date"] is None
    assert f["report"]["year"] == 2021 and f["report"]["published"] == "2022-03-10"
    assert not any(d["severity"] == "error" for d in f["diagnostics"])


def test_004_gaozhou(seeds: dict) -> None:
    f = seeds["004"]
    st = status(f)
    assert st["measures"] == st["problems"] == st["first_responsible"] == st["next_year_plan"] == "heading"
    assert f["elements"]["measures"]["evidence"] == "一、主要做法和成效"
    assert f["elements"]["problems"]["evidence"] == "三、存在问题"
    assert f["elements"]["next_year_plan"]["evidence"] == "四、下一步工作计划"
    assert st["causes"] == "missing" and "FZ103" in codes(f)
    assert st["three_systems"] == "missing" and "FZ111" in codes(f)
    enum = [d for d in f["diagnostics"] if d["code"] == "FZ201"]
    # 一是…三是 (line 17), then 二是 (19) and 三是 (21) under (二): one misplaced 三是, reported once
    # (the pin was two findings, 缺少“二是” at 17 and “三是”之后出现“二是” at 19, for the one mistake)
    assert [d["line"] for d in enum] == [17]
    assert "“一是”之后出现“三是”" in enum[0]["message"] and "接着又是“二是”" in enum[0]["message"]
    assert f["report"]["signed_date"] == "2021-12-02" and "FZ312" in codes(f)
    assert f["report"]["title"] == "高州市2021年度法治政府建设情况报告"  # not the unrelated headline above it
    assert all(d["line"] <= 101 for d in f["diagnostics"])  # nothing from the JavaScript/footer


def test_000_ordos(seeds: dict) -> None:
    f = seeds["000"]
    st = status(f)
    assert st["problems"] == "inline" and "不容忽视的问题" in f["elements"]["problems"]["evidence"]
    assert st["next_year_plan"] == "inline" and f["elements"]["next_year_plan"]["evidence"].startswith("下一步")
    assert st["causes"] == "missing"
    assert st["first_responsible"] == "inline" and f["elements"]["first_responsible"]["line"] == 17
    d102 = [d for d in f["diagnostics"] if d["code"] == "D102"]
    assert len(d102) == 1 and d102[0]["line"] == 17 and "缺少左括号" in d102[0]["message"]
    n = [d for d in f["diagnostics"] if d["code"] == "FZ112"]
    assert len(n) == 1 and all(x in n[0]["message"] for x in ("公示", "全过程记录", "法制审核"))
    assert f["report"]["published"] == "2022-01-07"
    assert f["report"]["title"] == "鄂尔多斯市人民政府关于2021年法治政府建设情况的报告"
    assert {"FZ102", "FZ105", "FZ104", "FZ103"} <= set(codes(f))


def test_002_xx_city(seeds: dict) -> None:
    f = seeds["002"]
    st = status(f)
    assert f["report"]["year"] == 2019
    y = [d for d in f["diagnostics"] if d["code"] == "FZ301"]
    assert len(y) == 1 and y[0]["line"] == 1 and "2020" in y[0]["message"] and "2019" in y[0]["message"]
    assert st["problems"] == "heading" and f["elements"]["problems"]["evidence"] == "二、工作存在的不足"
    assert st["causes"] == "missing"
    assert st["next_year_plan"] == "heading" and "FZ302" not in codes(f)  # 2020 = 2019 + 1
    assert st["first_responsible"] == "inline"
    assert codes(f).count("FZ401") >= 10  # XX placeholders
    assert f["report"]["signed_date"] == "2020-01-10"
    assert "FZ311" not in codes(f) and "FZ312" not in codes(f)
    # 公示 and 法制审核 are named; 全过程记录 is done ("规范执法文字记录和音像记录") but not named
    n = [d for d in f["diagnostics"] if d["code"] == "FZ112"]
    assert len(n) == 1 and n[0]["severity"] == "info" and "执法全过程记录制度写了具体做法" in n[0]["message"]


def test_003_zhaoling(seeds: dict) -> None:
    f = seeds["003"]
    st = status(f)
    assert st["problems"] == "missing" and st["next_year_plan"] == "missing"
    errors = [d for d in f["diagnostics"] if d["severity"] == "error"]
    assert {"FZ102", "FZ105"} <= {d["code"] for d in errors}
    assert st["first_responsible"] == "inline"
    jump = [d for d in f["diagnostics"] if d["code"] == "D101"]
    assert len(jump) == 1 and "“四、”之后是“六、”" in jump[0]["message"] and "缺少“五、”" in jump[0]["message"]
    assert st["three_systems"] != "missing" and "FZ112" not in codes(f)


def test_ranking(seeds: dict) -> None:
    scores = {k: f["score"] for k, f in seeds.items()}
    assert max(scores, key=scores.get) == "001"
    assert min(scores, key=scores.get) == "003"


def test_no_finding_points_at_stripped_noise(seeds: dict) -> None:
    # 004's trailing JavaScript and footer start after the signature on line 101
    for d in seeds["004"]["diagnostics"]:
        assert d["line"] <= 101


def test_only_the_optional_part_is_marked_optional(seeds: dict) -> None:
    # reviewers reading the JSON must not take 其他需要报告的情况 for a missing required part
    for f in seeds.values():
        assert f["elements"]["other"] == {"status": "missing", "line": None, "evidence": None, "optional": True}
        assert not any("optional" in e for k, e in f["elements"].items() if k != "other")


def test_missed_defects_of_issue_12(seeds: dict) -> None:
    # what a reviewer marks in the seeds that fzlint used to miss; nothing else of these codes
    def found(prefix: str) -> list[tuple[str, int]]:
        return [(d["code"], d["line"]) for d in seeds[prefix]["diagnostics"] if d["code"] in ("FZ503", "FZ705", "FZ801", "FZ803", "D105")]

    assert found("000") == []
    # 001's 98.28% (7461/7591 = 98.287…%) is the rate truncated, not a wrong one (issue #12, class 6)
    assert found("001") == [("FZ705", 32), ("FZ803", 54)]  # 推进法治政府建设…规定; 浓造
    assert found("002") == [("D105", 3), ("D105", 7), ("D105", 37)]  # 关于 9 2019; 一、9 2019; 三、0 2020
    assert found("003") == [("FZ801", 14), ("FZ801", 29)]  # 区直各部门要…; 各行政执法部门要…
    assert found("004") == [("FZ503", 19), ("FZ803", 63)]  # 1895/2018 = 93.90% not 98.36%; 法制意识
    rate = next(d for d in seeds["004"]["diagnostics"] if d["code"] == "FZ503")
    assert "1895项÷2018项" in rate["message"] and "93.90%" in rate["message"] and rate["severity"] == "warning"
    assert next(d for d in seeds["004"]["diagnostics"] if d["code"] == "FZ803")["severity"] == "info"
    assert seeds["002"]["report"]["year_source"] == "subtitle" and seeds["001"]["report"]["year_source"] == "title"
