"""fzlint: a linter for 法治政府建设年度报告 (annual reports on rule-of-law government)."""

__version__ = "0.2.0"
