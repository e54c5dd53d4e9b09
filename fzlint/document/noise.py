"""Web-page noise: breadcrumbs, share/print buttons, page metadata, scripts and footers.

Each pattern is matched against one whole line (normalized, stripped). A line of the report body
never matches: every pattern is anchored on page furniture, not on words a report would use.
"""

from __future__ import annotations

import regex

from fzlint.patterns import lazy

# An fzlint suppression directive on a line of its own (see fzlint/suppress.py, docs/suppression.md):
# `<!-- fzlint: disable=FZ301 -->`, `# fzlint: enable`, `[fzlint: disable-next-line=FZ401]`.
DIRECTIVE = lazy(
    r"^(?:<!--|#+|\[|【)?\s*fzlint\s*:\s*(?P<action>disable-next-line|disable|enable)"
    r"(?:\s*=\s*(?P<codes>[A-Za-z0-9,、\s]*?))?\s*(?:-->|\]|】)?$",
    regex.I,
)

# (reason shown in --verbose, pattern)
LINE_NOISE: list[tuple[str, regex.Pattern[str]]] = [
    ("fzlint 指令", DIRECTIVE),
    ("导航路径", lazy(r"^(您当前的位置|当前位置|您的位置|所在位置|位置)\s*[:：]|首页\s*[>›»]|[>›»]\s*正文\s*$|^\S{1,12}(\s*[>›»]\s*\S{1,12}){2,}$")),
    # (lines of buttons only, "打印 关闭" or "字体:大 中 小 | 打印本页", are found by _controls_only:
    # a line merely starting with 打印/关闭/保存 may be report text, "关闭违规企业3家")
    ("分享/打印按钮", lazy(r"^(分享到|扫一扫|【\s*(打印|关闭|保存|字体|大|中|小))|扫一扫在手机打开当前页|^字号\s*[:：]?\s*(大|中|小)")),
    ("页面信息", lazy(r"^[•·\-\s]*(发布时间|发布日期|发布机构|发文机关|日期|时间|来源|信息来源|作者|访问量|访问次数|点击|点击数|浏览次数|阅读次数|字号|索引号|主题分类|文号|发文字号|成文日期|责任编辑|编辑)\s*[:：]")),
    ("脚本/网页代码", lazy(r"^\$\(|document\.(write|getElementById)|^(var|function|let|const)\s|^<[/!a-zA-Z]|^style\s*=|^[{}\[\]();>]+$|\bjavascript\b|^window\.|\.js['\"]")),
    ("网站页脚", lazy(r"主办单位|承办单位|协办单位|技术支持|版权所有|Copyright|ICP备|ICP证|公网安备|网站标识码|网站地图|联系我们|^\[\s*编辑\s*[:：]|转摘声明|转载请注明|^(上一篇|下一篇|相关链接|相关阅读|相关文章|附件下载)\s*[:：]?")),
    ("页码", lazy(r"^[-—–－]\s*\d{1,4}\s*[-—–－]$|^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$|^\d{1,4}\s*/\s*\d{1,4}$")),
    ("按钮", lazy(r"^(发布|打印|关闭|返回|返回顶部|顶部|收藏|纠错|搜索|English|无障碍|长者模式|微信|微博|繁体|简体|繁體|登录|注册|分享)$")),
]

# Strings one of which every match of a reason's pattern contains (each branch of the 导航路径
# pattern has 位置 or a breadcrumb arrow): a line without them is not searched. The pattern
# tries its unanchored branches at every character, the slowest check of a short line.
_NEEDS: dict[str, tuple[str, ...]] = {"导航路径": ("位置", ">", "›", "»")}

# Page metadata lines carry a publication date.
PUBLISHED = lazy(
    r"(发布时间|发布日期|日期|时间|发文日期|成文日期)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)


# A line made only of page controls: "字体:大 中 小 | 打印本页 | 关闭窗口", "[打印] [关闭]",
# "分享:微信 微博 QQ空间". Split on the separators pages put between buttons; every piece must be a
# control word and one of them a button (a lone 大/中/小 is no page furniture).
_CONTROL_SPLIT = lazy(r"[\s|｜/\\【】\[\]()（）〔〕<>《》:：·•,，、;；>›»\-—]+")
_BUTTONS = frozenset((
    "打印", "打印本页", "打印此页", "打印文章", "打印页面", "打印本文", "我要打印", "关闭", "关闭窗口", "关闭本页", "关闭页面", "分享",
    "分享到", "收藏", "加入收藏", "收藏本页", "纠错", "我要纠错", "返回", "返回顶部", "返回首页", "返回列表", "顶部", "保存", "保存本页",
    "扫一扫", "字体", "字号", "字体大小", "视力保护色", "护眼模式", "背景色", "语音播报", "无障碍", "长者模式", "放大", "缩小", "默认",
    "繁体", "简体", "繁體", "English",
))
_CONTROL_WORDS = _BUTTONS | frozenset((
    "大", "中", "小", "大字", "中字", "小字", "特大", "标准", "微信", "微博", "新浪微博", "腾讯微博", "QQ", "QQ空间", "朋友圈",
    "好友", "人人网", "豆瓣", "手机", "二维码", "浏览", "阅读", "播报", "T", "分享至", "一键分享",
))


def _controls_only(line: str) -> bool:
    if len(line) > 80 or "。" in line:
        return False
    pieces = [x for x in _CONTROL_SPLIT.split(line) if x]
    return bool(pieces) and all(x in _CONTROL_WORDS for x in pieces) and any(x in _BUTTONS for x in pieces)


def classify(line: str) -> str | None:
    """The noise reason for a stripped, normalized line, or None when it may be report text."""
    # A long line with full sentences is report text even if it mentions 来源: etc. Asked first:
    # half the lines of a report are such lines, and the unanchored patterns cost most on them.
    if len(line) > 80 and "。" in line:
        return None
    for reason, pat in LINE_NOISE:
        need = _NEEDS.get(reason)
        if need is not None and not any(x in line for x in need):
            continue
        if pat.search(line):
            return reason
    if _controls_only(line):
        return "分享/打印按钮"
    return None
