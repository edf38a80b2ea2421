"""Cleaning text that people type, paste or load from spreadsheets, one way for the whole
platform: Unicode NFKC (full-width digits, letters and punctuation become their ordinary
forms), zero-width characters, direction marks and control characters removed, surrounding
space trimmed. Text pasted from Word (a vertical tab for a line break), from web pages (a
zero-width space, a right-to-left mark) or typed on a Chinese keyboard in full-width mode
comes out as what the person meant."""

import re
import unicodedata

# Unicode categories never kept: Cc (C0/C1 controls), Cf (format: zero-width space and
# joiners, direction marks and isolates, the BOM, soft hyphen), Cs (lone surrogates), Co
# (private use) and Cn (unassigned).
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Characters that separate lines: kept as "\n" in multi-line text, a space otherwise.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
SPACES = re.compile(r"[^\S\n]+")


def clean_text(value, *, multiline: bool = False) -> str:
    """`value` (anything; None becomes "") as clean text.

    NFKC-normalised; line breaks (``\\r\\n``, ``\\r``, vertical tab, form feed, U+2028, …)
    become ``\\n`` when `multiline`, else a space; tabs and runs of other white space become
    one space; every other control, format (zero-width, bidi), surrogate, private-use or
    unassigned character is dropped; each line and the whole text are trimmed. Never raises.
    """
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    text = text.replace("\r\n", "\n")
    kept = []
    for char in text:
        if char in LINE_BREAKS:
            kept.append("\n" if multiline else " ")
        elif char == "\t":
            kept.append(" ")
        elif unicodedata.category(char) not in DROPPED_CATEGORIES:
            kept.append(char)
    lines = (SPACES.sub(" ", line).strip() for line in "".join(kept).split("\n"))
    return "\n".join(lines).strip() if multiline else SPACES.sub(" ", " ".join(lines)).strip()

