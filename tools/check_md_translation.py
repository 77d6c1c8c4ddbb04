#!/usr/bin/env python3
"""Check the English translations of the narrative pages against the Thai.

For every page X.md under content/pages (not itself a translation) there must
be X.en.md beside it, and for each pair:

- the front matter (TOML between +++ lines) parses, has the same keys, and
  the same values for every key but the translated ones (title, description);
- the same number of headings at each level;
- the same link targets (inline `](target)` and reference definitions), with
  the same counts;
- the same footnote labels, referenced and defined, with the same counts;
- the same number of table rows, blockquote lines, list items and blocks
  (paragraphs separated by blank lines), so a translation cannot turn a
  paragraph into a list ("1. …" where the Thai had "๑. …") or the reverse;
- every number of the Thai (Thai digits converted, thousands separators and
  decimals handled, front matter included) appears in the English at least as
  often; every number the English adds is the CE year of a Buddhist-era year
  of the Thai (BE - 543), so a mistyped figure cannot hide as "extra";
- no Thai script in the English.

Usage: python3 tools/check_md_translation.py [ROOT]   (default: the repo root)
Exit status 0 when clean, 1 with a list of problems otherwise.
"""

import re
import sys
import tomllib
from collections import Counter
from decimal import Decimal
from pathlib import Path

TRANSLATED_KEYS = {"title", "description"}
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
THAI_SCRIPT = re.compile(r"[\u0E00-\u0E7F]")
NUMBER = re.compile(r"(?<![0-9.,])([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)(?![0-9])")
INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^ {0,3}\[(?!\^)([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.M)
HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
LIST_ITEM = re.compile(r"^ {0,3}(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)")  # ASCII digits only, as CommonMark
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def split_front_matter(text, path, problems):
    if not text.startswith("+++\n"):
        return {}, text
    end = text.find("\n+++\n", 3)
    if end < 0 and text.endswith("\n+++"):
        end = len(text) - 4
    if end < 0:
        problems.append(f"{path}: front matter opened with +++ is never closed")
        return {}, text
    raw = text[4:end + 1]
    body = text[end + 5:]
    try:
        return tomllib.loads(raw), body
    except tomllib.TOMLDecodeError as e:
        problems.append(f"{path}: front matter does not parse: {e}")
        return {}, body


def body_lines(body):
    """Lines of the body outside fenced code blocks."""
    out, fence = [], None
    for line in body.split("\n"):
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        out.append(line)
    return out


def structure(body):
    lines = body_lines(body)
    text = "\n".join(lines)
    headings = Counter(len(m.group(1)) for l in lines if (m := HEADING.match(l)))
    links = Counter(INLINE_LINK.findall(text)) + Counter(t for _, t in REF_DEF.findall(text))
    fn_refs = Counter(FOOTNOTE_REF.findall(text))
    fn_defs = Counter(FOOTNOTE_DEF.findall(text))
    tables = sum(1 for l in lines if l.lstrip().startswith("|"))
    quotes = sum(1 for l in lines if l.lstrip().startswith(">"))
    items = sum(1 for l in lines if LIST_ITEM.match(l) and not HEADING.match(l))
    blocks = len([b for b in re.split(r"\n[ \t]*\n", text) if b.strip()])
    return {
        "headings per level": dict(sorted(headings.items())),
        "link targets": dict(sorted(links.items())),
        "footnote references": dict(sorted(fn_refs.items())),
        "footnote definitions": dict(sorted(fn_defs.items())),
        "table rows": tables,
        "blockquote lines": quotes,
        "list items": items,
        "blocks": blocks,
    }


def strip_non_text(text):
    """Remove what is not prose: link targets, footnote labels, escapes."""
    text = INLINE_LINK.sub("](…)", text)
    text = REF_DEF.sub("", text)
    text = FOOTNOTE_DEF.sub("", text)
    text = FOOTNOTE_REF.sub("", text)
    return text.replace("\\", "")


def numbers(text):
    text = strip_non_text(text.translate(THAI_DIGITS))
    return Counter(Decimal(m.replace(",", "")).normalize() for m in NUMBER.findall(text))


def fm_numbers(fm):
    return sum((numbers(str(fm[k])) for k in TRANSLATED_KEYS if k in fm), Counter())


def check_pair(th_path, en_path, problems):
    th_text = th_path.read_text(encoding="utf-8")
    en_text = en_path.read_text(encoding="utf-8")
    th_fm, th_body = split_front_matter(th_text, th_path, problems)
    en_fm, en_body = split_front_matter(en_text, en_path, problems)
    name = str(en_path)

    if set(th_fm) != set(en_fm):
        problems.append(f"{name}: front matter keys {sorted(en_fm)} differ from the Thai {sorted(th_fm)}")
    for key in th_fm.keys() & en_fm.keys():
        if key in TRANSLATED_KEYS:
            if not isinstance(en_fm[key], str) or not en_fm[key].strip():
                problems.append(f"{name}: front matter {key} is empty or not text")
        elif th_fm[key] != en_fm[key]:
            problems.append(f"{name}: front matter {key} = {en_fm[key]!r}, the Thai has {th_fm[key]!r}")

    th_s, en_s = structure(th_body), structure(en_body)
    for what in th_s:
        if th_s[what] != en_s[what]:
            problems.append(f"{name}: {what}: English {en_s[what]} / Thai {th_s[what]}")

    th_n = numbers(th_body) + fm_numbers(th_fm)
    en_n = numbers(en_body) + fm_numbers(en_fm)
    missing = th_n - en_n
    for n, count in sorted(missing.items()):
        problems.append(f"{name}: the Thai has {n:f} {th_n[n]} time(s), the English {en_n[n]}")
    be_years = {n for n in th_n if 2400 <= n <= 2700}
    extra = en_n - th_n
    for n in sorted(extra):
        if n + 543 not in be_years:
            problems.append(f"{name}: the English has {n:f}, which is not a figure of the Thai nor the CE year of one of its B.E. years")

    for i, line in enumerate(en_text.split("\n"), 1):
        if THAI_SCRIPT.search(line):
            problems.append(f"{name}:{i}: Thai script in the English: {line.strip()[:80]}")


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    pages = root / "content" / "pages"
    problems, pairs = [], 0
    for th in sorted(pages.rglob("*.md")):
        if th.name.endswith(".en.md"):
            if not th.with_name(th.name[: -len(".en.md")] + ".md").exists():
                problems.append(f"{th}: no Thai page for this translation")
            continue
        en = th.with_name(th.name[: -len(".md")] + ".en.md")
        if not en.exists():
            problems.append(f"{th}: no English translation ({en.name})")
            continue
        pairs += 1
        check_pair(th, en, problems)
    for p in problems:
        print(p)
    print(f"{pairs} pair(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
