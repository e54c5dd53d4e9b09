"""User-facing errors: each carries a Chinese and an English message and ends the run with exit 2."""

from __future__ import annotations


class FzlintError(Exception):
    """An error the user can act on (bad input, bad ruleset, bad usage). Exit code 2."""

    exit_code = 2

    def __init__(self, zh: str, en: str | None = None, *, path: str | None = None) -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh
        self.path = path

    def message(self, lang: str = "zh") -> str:
        """The message as printed: a file name or text quoted from a file cannot drive the
        terminal (control characters and bidi overrides are shown as escapes, see termsafe)."""
        from fzlint.termsafe import term

        text = term(self.en if lang == "en" else self.zh, keep_newlines=True)
        return f"{term(self.path)}: {text}" if self.path else text


class InputError(FzlintError):
    """A file that cannot be read or understood."""


class RulesetError(FzlintError):
    """A ruleset or config file that is invalid; the message names file, line and field."""
