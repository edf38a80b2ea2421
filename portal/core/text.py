"""Cleaning text that people type, paste or load from spreadsheets, one way for the whole
platform: Unicode NFKC (full-width digits, letters and punctuation become their ordinary
forms), zero-width characters, direction marks and control characters removed, surrounding
space trimmed. Text pasted from Word (a vertical tab for a line break), from web pages (a
zero-width space, a right-to-left mark) or typed on a Chinese keyboard in full-width mode
comes out as what the person meant."""

import re
import unicodedata

from django.db import models

# Unicode categories never kept: Cc (C0/C1 controls), Cf (format: zero-width space and
# joiners, direction marks and isolates, the BOM, soft hyphen), Cs (lone surrogates), Co
# (private use) and Cn (unassigned).
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Characters that separate lines: kept as "\n" in multi-line text, a space otherwise.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
SPACES = re.compile(r"[^\S\n]+")
CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_BREAK = re.compile(f"(?<=[{CJK}])\\s*\n\\s*(?=[{CJK}])")


def clean_text(value, *, multiline: bool = False, compatibility: bool = True) -> str:
    """`value` (anything; None becomes "") as clean text.

    NFKC-normalised when `compatibility` (identifiers, spreadsheet cells, search queries;
    typed prose keeps its full-width punctuation with compatibility=False). Line breaks
    (``\\r\\n``, ``\\r``, vertical tab, form feed, U+2028, …) become ``\\n`` when
    `multiline`, else a space (nothing between two Chinese characters). Tabs and runs of
    other white space become one space. Every other control, format (zero-width, bidi),
    surrogate, private-use or unassigned character is dropped. Each line and the whole text
    are trimmed. Never raises.
    """
    text = "" if value is None else str(value)
    if compatibility:
        text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n")
    kept = []
    for char in text:
        if char in LINE_BREAKS:
            kept.append("\n")
        elif char == "\t":
            kept.append(" ")
        elif unicodedata.category(char) not in DROPPED_CATEGORIES:
            kept.append(char)
    text = "".join(kept)
    if not multiline:
        text = CJK_BREAK.sub("", text)  # Chinese has no spaces: 王<break>五 is 王五
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip() if multiline else SPACES.sub(" ", " ".join(lines)).strip()



def strip_controls(value: str) -> str:
    """`value` with every control, format, surrogate, private-use and unassigned character
    removed, but its letters untouched (no NFKC) and its line breaks (as ``\\n``) and tabs
    kept: what an export writes. Never raises."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) not in DROPPED_CATEGORIES
    )


def strip_stored_controls(sender, instance, raw=False, **kwargs):
    """pre_save receiver for every model: no text field (CharField, TextField and their
    subclasses) is stored with a control or format character (`strip_controls`), whichever
    form, import, service or admin screen wrote it. Fixtures (`raw`) are stored as they are."""
    if raw:
        return
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, models.CharField | models.TextField):
            value = getattr(instance, model_field.attname)
            if isinstance(value, str):
                setattr(instance, model_field.attname, strip_controls(value))


def width_variants(word: str) -> set[str]:
    """The ways `word` may be written in stored text: its NFKC form (half-width letters and
    digits) and the same with every printable ASCII character full-width (Ａ, ２, （…), the
    full-width letters in upper and lower case too (databases fold the case of ASCII only).
    A search for any width of a word matches the text in either width."""
    half = clean_text(word)

    def full(text):
        return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)

    return {half, full(half), full(half.upper()), full(half.lower())} - {""}
