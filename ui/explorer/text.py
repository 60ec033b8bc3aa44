"""Text from the data shown safely: Streamlit's markdown and plotly's labels both read markup, so data passes
through one of these and is never rendered as HTML or formatting."""

import html
import re

# Every ASCII punctuation mark may be backslash-escaped in CommonMark; `$` (maths) and `:` (Streamlit's colour and
# icon directives) matter here too.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'])")


def md(value: object) -> str:
    """Data as literal text inside Streamlit markdown (headers, captions, messages)."""
    return _MARKDOWN.sub(r"\\\1", " ".join(str(value).split()))


def plain(value: object) -> str:
    """Data as literal text inside a plotly label or hover text, which read a subset of HTML."""
    return html.escape(str(value), quote=False)


def short(value: object, limit: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
