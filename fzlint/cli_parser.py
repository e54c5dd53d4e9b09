"""The argparse parser of the command line (imported only when a command line needs parsing
beyond `fzlint FILE...`, see cli._parse: argparse and building the parser cost ~4 ms)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from typing import Any

from fzlint import __version__
from fzlint.errors import FzlintError


def _formats() -> tuple[str, ...]:
    from fzlint.render import RENDERERS

    return tuple(RENDERERS)


def _terminal_columns() -> int:
    """shutil.get_terminal_size().columns, without importing shutil (and bz2, lzma, fnmatch …)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    try:
        lines = int(os.environ["LINES"])
    except (KeyError, ValueError):
        lines = 0
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        if columns <= 0:
            columns = size.columns or 80
    return columns


class _HelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        # argparse imports shutil here for the width; every add_argument builds a formatter
        super().__init__(prog, indent_increment, max_help_position, _terminal_columns() - 2 if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise FzlintError(f"命令行参数错误:{message}(用 fzlint --help 查看用法)", f"usage error: {message} (see fzlint --help)")


def _csv(value: str) -> list[str]:
    return [v.strip().upper() for v in value.split(",") if v.strip()]


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD:{value}") from None


def _size_mb(value: str) -> float:
    try:
        mb = float(value)
    except ValueError:
        mb = float("nan")
    if not (0 < mb < 1e6):  # also rejects nan and inf
        raise argparse.ArgumentTypeError(f"--max-size 应为正数(单位 MB),得到 {value!r}")
    return mb


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line parser; with `only`, just that subcommand's parser is built under the
    top-level one (parsing that subcommand gives the same result; building them all costs ms)."""
    p = _Parser(prog="fzlint", description="法治政府建设年度报告检查工具(fzlint)")
    p.add_argument("--version", action="version", version=f"fzlint {__version__}")
    sub = p.add_subparsers(dest="command")

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--ruleset", default=None, help="规则集名称或 YAML 文件路径(默认 fazhi-annual)")
        sp.add_argument("--lang", choices=("zh", "en"), default=None, help="错误信息语言(默认中文)")
        sp.add_argument("--no-cache", action="store_true", help="不使用规则集缓存")
        sp.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="彩色输出")
        sp.add_argument("--isolated", action="store_true", help="不读取任何配置文件(fzlint.toml 等)")
        sp.add_argument("--config", default=None, metavar="PATH", help="只使用这个配置文件(不再向上查找 fzlint.toml)")

    def config_options(sp: argparse.ArgumentParser) -> None:
        # Options that are also config keys: None means "not given", so the config file applies.
        sp.add_argument("--select", type=_csv, default=None, help="只启用这些规则(代码或前缀,逗号分隔)")
        sp.add_argument("--extend-select", type=_csv, default=None, help="在 --select 之外再启用")
        sp.add_argument("--ignore", type=_csv, default=None, help="忽略这些规则(代码或前缀)")
        sp.add_argument("--fail-under", type=float, default=None, help="得分低于 N 时退出码为 1")
        sp.add_argument("--report-year", type=int, default=None, help="报告年度(正文无法判断时)")
        sp.add_argument("--published", type=_date, default=None, help="发布日期 YYYY-MM-DD")
        sp.add_argument("--exclude", action="append", default=None, metavar="GLOB", help="检查目录时跳过匹配的文件或目录(可重复)")

    if only in (None, "check"):
        c = sub.add_parser("check", help="检查报告(默认命令)")
        c.add_argument("paths", nargs="*", default=[], help="文件或目录;- 表示标准输入")
        common(c)
        c.add_argument("--format", choices=_formats(), default="text", help="输出格式")
        c.add_argument("-o", "--output", default=None, help="把结果写入文件(与 --annotate 同用时:批注文档的路径或目录)")
        config_options(c)
        c.add_argument("--force-exclude", action="store_true", help="命令行直接给出的文件也按 exclude 跳过(用于 pre-commit)")
        c.add_argument("--only-reports", action="store_true", help="命令行直接给出的文件不像年度报告时也跳过并提示(用于 pre-commit:README.md 等)")
        c.add_argument("--exit-zero", action="store_true", help="有问题也以 0 退出")
        c.add_argument("--stdin-filename", default=None, help="标准输入的文件名(用于显示)")
        c.add_argument("--max-size", type=_size_mb, default=20, help="单个文件大小上限(MB,默认 20)")
        c.add_argument("-v", "--verbose", action="store_true", help="显示被去除的页面内容等细节")
        c.add_argument("-q", "--quiet", action="store_true", help="只显示每个文件的得分")
        c.add_argument("--show-source", dest="show_source", action="store_true", default=True)
        c.add_argument("--no-show-source", dest="show_source", action="store_false", help="不显示原文行")
        c.add_argument("--statistics", action="store_true", help="只输出按规则代码统计的问题数量(含级别、是否可修复)")
        c.add_argument("--min-severity", choices=("info", "warning", "error"), default=None, help="只显示不低于此级别的问题(不影响得分)")
        c.add_argument("--fix", action="store_true", help="自动修复可确定的问题(只改 .txt/.md;Word/PDF/HTML 不修改)")
        c.add_argument("--diff", action="store_true", help="只显示修复将做的改动(统一 diff),不修改文件")
        c.add_argument("--annotate", action="store_true", help="把问题作为 Word 批注写入 NAME.fzlint.docx(原文件不改动)")
        c.add_argument("-j", "--jobs", type=int, default=1, help="并行检查的进程数(0 表示全部 CPU 核,默认 1)")
        c.add_argument("--profile-rules", action="store_true", help=argparse.SUPPRESS)  # per-rule time on stderr

    if only in (None, "rules"):
        r = sub.add_parser("rules", help="列出规则集中的规则")
        common(r)
        r.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    if only in (None, "explain"):
        e = sub.add_parser("explain", help="说明一条规则:作用、依据、示例")
        e.add_argument("code", help="规则代码,如 FZ102")
        common(e)

    if only in (None, "config"):
        g = sub.add_parser("config", help="显示生效的配置及每项的来源")
        g.add_argument("path", nargs="?", default=".", help="对哪个文件或目录生效(默认当前目录)")
        common(g)
        config_options(g)
        g.add_argument("--format", choices=("text", "json"), default="text")

    if only in (None, "init"):
        i = sub.add_parser("init", help="在当前目录写一个带注释的 fzlint.toml")
        i.add_argument("directory", nargs="?", default=".", help="写到哪个目录(默认当前目录)")
        i.add_argument("--force", action="store_true", help="覆盖已有的 fzlint.toml")

    if only in (None, "audit"):
        a = sub.add_parser("audit", help="审阅一批报告:并行检查、按得分排名、汇总必备部分和常见问题")
        a.add_argument("paths", nargs="+", help="报告所在的目录或文件")
        common(a)
        a.add_argument("--format", choices=("text", "csv", "json", "html"), default="text", help="输出格式")
        a.add_argument("-o", "--output", default=None, help="把结果写入文件")
        a.add_argument("-j", "--jobs", type=int, default=None, help="并行进程数(默认:全部 CPU 核;1 表示不开子进程)")
        a.add_argument("--previous", nargs="+", default=None, metavar="DIR", help="上一年度报告所在目录:按发文机关配对并计算沿用比例")
        a.add_argument("--progress", choices=("auto", "always", "never"), default="auto", help="进度条(auto:仅在终端上显示)")
        a.add_argument("--report-links", choices=("auto", "html", "json", "none"), default="auto", help="HTML 汇总中每份报告链接到的单独结果页格式(auto:有 html 输出时用 html,否则 json)")
        a.add_argument("--reports-dir", default=None, help="单独结果页的目录(默认:输出文件名加 _reports)")
        a.add_argument("--max-size", type=float, default=20, help="单个文件大小上限(MB,默认 20)")

    if only in (None, "compare"):
        m = sub.add_parser("compare", help="比对本年度与上一年度的报告:逐部分统计沿用的句子")
        m.add_argument("old", help="上一年度的报告")
        m.add_argument("new", help="本年度的报告")
        common(m)
        m.add_argument("--format", choices=_formats(), default="text", help="输出格式")
        m.add_argument("-o", "--output", default=None, help="把结果写入文件")
        m.add_argument("--exit-zero", action="store_true", help="有问题也以 0 退出")
        m.add_argument("--max-size", type=float, default=20, help="单个文件大小上限(MB,默认 20)")

    if only in (None, "serve"):
        s = sub.add_parser("serve", help="本地网页:拖入报告查看检查结果、下载带批注的 Word 文档,拖入多份报告或 .zip 得到审阅汇总(需 pip install 'fzlint[serve]')")
        common(s)
        s.add_argument("--host", default="127.0.0.1", help="监听地址(默认 127.0.0.1,只有本机能访问;0.0.0.0 对网络开放,会给出警告)")
        s.add_argument("--port", type=int, default=8000, help="端口(默认 8000;0 表示任选一个空闲端口)")
        s.add_argument("--max-size", type=_size_mb, default=20, help="单个报告大小上限(MB,默认 20)")
        s.add_argument("--max-total", type=_size_mb, default=200, help="一次上传(含压缩包解压后)大小上限(MB,默认 200)")
        s.add_argument("--max-files", type=int, default=200, help="一次上传的报告数量上限(压缩包中的报告计入,默认 200)")
        s.add_argument("--timeout", type=float, default=120, help="每次检查的时间上限(秒,默认 120;不含上传)")
        s.add_argument("--concurrency", type=int, default=2, help="同时进行的检查数(默认 2;另有至多四倍的请求可排队)")
        s.add_argument("-j", "--jobs", type=int, default=1, help="一次审阅汇总使用的进程数(默认 1)")
        s.add_argument("--keep-minutes", type=float, default=10, help="检查结果(及用于生成批注文档的报告副本)在内存中保留的分钟数(默认 10)")
        s.add_argument("--forwarded-allow-ips", default=None, help="信任其 X-Forwarded-* 头的反向代理地址(默认 127.0.0.1,也可用环境变量 FORWARDED_ALLOW_IPS)")
        s.add_argument("-q", "--quiet", action="store_true", help="不显示每个请求的访问日志")
    if only in (None, "server"):
        s = sub.add_parser("server", help="编辑器服务:在 VS Code、Neovim 等编辑器中边写边查 .txt/.md 报告(Language Server Protocol,经标准输入输出;需 pip install 'fzlint[lsp]')")
        common(s)
        config_options(s)
        s.add_argument("--debounce", type=int, default=300, metavar="MS", help="停止输入多少毫秒后重新检查(默认 300)")
        s.add_argument("-v", "--verbose", action="store_true", help="在标准错误输出中记录服务日志")
    return p
