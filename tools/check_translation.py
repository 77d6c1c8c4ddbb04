#!/usr/bin/env python3
"""Checks the English translation of the default content (issue 12).

For each content JSON file (content/plan.json, content/results/*.json):

  a) with --base REF, loads the file as it was on REF (`git show REF:PATH`,
     e.g. the commit before it was first translated),
  b) and replaces every {"th": …, "en": …} map by its "th" value and asserts
     the result equals that file exactly (the Thai untouched, nothing else
     changed);
  c) lists every Thai string left untranslated outside the fields that are
     never translated (quotations, file names, ids, …), and every map placed
     on such a field;
  d) for each map, asserts every number of the Thai (Thai digits read as
     0–9) appears with the same value in the English, and that the English
     has no Thai letters.

Also checks themes/default/theme.toml (every [labels] key has a
[translations.en] entry, in the same order, with the same {placeholders};
the TOML parses) and content/site.toml ([languages.en] with the English of
title, description and footer, the footer's links kept).

Usage: python3 tools/check_translation.py [--base REF] [FILE.json ...]
Exit status 0 when clean, 1 otherwise. Run from the site root.
"""

import argparse
import glob
import json
import re
import subprocess
import sys
import tomllib
from decimal import Decimal

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
THAI_LETTER = re.compile(r"[\u0E00-\u0E7F]")
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")

# Fields whose value is never translated (the brief's NOT-translated list).
NOT_TRANSLATED = {
    "quote", "file", "$schema", "id", "code", "indicator", "strategy", "issue",
    "objective", "status", "kind", "measure", "direction", "date", "end",
}

problems = []
notes = []


def problem(msg):
    problems.append(msg)


def numbers(text):
    """The numbers of a text, as exact decimals, Thai digits read as Arabic."""
    found = []
    for n in NUMBER.findall(text.translate(THAI_DIGITS)):
        found.append(Decimal(n.replace(",", "")))
    return found


def is_map(v):
    return isinstance(v, dict) and "th" in v and set(v) <= {"th", "en"}


def strip(v):
    """The value with every language map replaced by its Thai."""
    if is_map(v):
        return v["th"]
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items()}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v


def walk(v, path, key, fname, stats):
    if is_map(v):
        where = f"{fname}:{path}"
        if key in NOT_TRANSLATED:
            problem(f"{where}: a language map on “{key}”, which is never translated")
        th, en = v.get("th"), v.get("en")
        if not isinstance(th, str) or not isinstance(en, str) or not en.strip():
            problem(f"{where}: map without a Thai and an English string")
            return
        stats["maps"] += 1
        if THAI_LETTER.search(en):
            problem(f"{where}: Thai letters in the English: {en!r}")
        en_numbers = numbers(en)
        for n in numbers(th):
            if n not in en_numbers:
                problem(f"{where}: the number {n} of the Thai is not in the English\n    th: {th}\n    en: {en}")
        # The other way, for information: a figure of the English that is
        # neither in the Thai nor the CE year of one of its BE years.
        th_numbers = numbers(th)
        allowed = set(th_numbers) | {n - 543 for n in th_numbers if n > 2400}
        for n in en_numbers:
            if n not in allowed:
                notes.append(f"{where}: English has {n}, not in the Thai")
        return
    if isinstance(v, dict):
        for k, x in v.items():
            walk(x, f"{path}/{k}", k, fname, stats)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            walk(x, f"{path}/{i}", key, fname, stats)
    elif isinstance(v, str) and THAI_LETTER.search(v) and key not in NOT_TRANSLATED:
        problem(f"{fname}:{path}: untranslated Thai: {v[:80]}")


def check_json(fname, base):
    new = json.load(open(fname, encoding="utf-8"))
    if base is None:
        stats = {"maps": 0}
        walk(new, "", None, fname, stats)
        print(f"{fname}: {stats['maps']} translated fields")
        return
    try:
        old_text = subprocess.run(
            ["git", "show", f"{base}:{fname}"], capture_output=True, check=True, text=True
        ).stdout
    except subprocess.CalledProcessError:
        problem(f"{fname}: not on {base}, cannot compare")
        old = None
    else:
        old = json.loads(old_text)
    if old is not None and strip(new) != old:
        problem(f"{fname}: with the maps replaced by their Thai, the file differs from {base}")
        diff_paths(strip(new), old, fname, "")
    stats = {"maps": 0}
    walk(new, "", None, fname, stats)
    print(f"{fname}: {stats['maps']} translated fields")


def diff_paths(a, b, fname, path):
    if type(a) is not type(b):
        problem(f"  {fname}:{path}: {a!r:.60} != {b!r:.60}")
    elif isinstance(a, dict):
        if list(a) != list(b):
            problem(f"  {fname}:{path}: keys or key order differ")
        for k in set(a) & set(b):
            diff_paths(a[k], b[k], fname, f"{path}/{k}")
    elif isinstance(a, list):
        if len(a) != len(b):
            problem(f"  {fname}:{path}: lengths differ")
        for i, (x, y) in enumerate(zip(a, b)):
            diff_paths(x, y, fname, f"{path}/{i}")
    elif a != b:
        problem(f"  {fname}:{path}: {a!r:.60} != {b!r:.60}")


def check_pair(where, th, en):
    if THAI_LETTER.search(en):
        problem(f"{where}: Thai letters in the English: {en!r}")
    en_numbers = numbers(en)
    for n in numbers(th):
        if n not in en_numbers:
            problem(f"{where}: the number {n} of the Thai is not in the English")


def load_toml(path):
    """The TOML file at path, or None (and a problem) if it does not parse."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        problem(f"{path}: does not parse: {e}")
        return None


def check_theme(path="themes/default/theme.toml"):
    theme = load_toml(path)
    if theme is None:
        return
    labels = theme.get("labels", {})
    en = theme.get("translations", {}).get("en")
    if en is None:
        problem(f"{path}: no [translations.en]")
        return
    missing = [k for k in labels if k not in en]
    extra = [k for k in en if k not in labels]
    for k in missing:
        problem(f"{path}: [translations.en] lacks {k}")
    for k in extra:
        problem(f"{path}: [translations.en] has {k}, which is not a label")
    if not missing and not extra and list(en) != list(labels):
        problem(f"{path}: [translations.en] keys are not in the order of [labels]")
    for k, th in labels.items():
        if k not in en:
            continue
        e = en[k]
        if not isinstance(e, str) or not e.strip():
            problem(f"{path}: translations.en.{k} is empty")
            continue
        if sorted(PLACEHOLDER.findall(th)) != sorted(PLACEHOLDER.findall(e)):
            problem(f"{path}: translations.en.{k}: placeholders {PLACEHOLDER.findall(e)} != {PLACEHOLDER.findall(th)}")
        # Leading and trailing spaces matter where a label is glued to others.
        if (th[:1] == " ") != (e[:1] == " ") or (th[-1:] == " ") != (e[-1:] == " "):
            problem(f"{path}: translations.en.{k}: leading/trailing space differs from the Thai")
        check_pair(f"{path}: translations.en.{k}", th, e)
    print(f"{path}: {len(en)} English labels for {len(labels)} labels")


def check_site(path="content/site.toml"):
    site = load_toml(path)
    if site is None:
        return
    en = site.get("languages", {}).get("en")
    if en is None:
        problem(f"{path}: no [languages.en]")
        return
    for k in ("title", "description", "footer"):
        if k not in en:
            problem(f"{path}: languages.en.{k} missing")
        elif k in site:
            check_pair(f"{path}: languages.en.{k}", site[k], en[k])
    if en.get("digits") != "arabic" or en.get("era") != "ce":
        problem(f"{path}: languages.en should have digits = \"arabic\" and era = \"ce\"")
    links = lambda s: re.findall(r"\]\((@/[^)]*)\)", s)
    if "footer" in en and links(en["footer"]) != links(site.get("footer", "")):
        problem(f"{path}: languages.en.footer links {links(en['footer'])} != {links(site.get('footer', ''))}")
    print(f"{path}: [languages.en] checked")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--base",
        default=None,
        help="also check that the Thai of every map is the file on this git ref, byte for byte "
        "(e.g. the commit before a file was first translated)",
    )
    ap.add_argument("--verbose", action="store_true", help="also list English figures not in the Thai")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    files = args.files or ["content/plan.json"] + sorted(glob.glob("content/results/*.json"))
    for f in files:
        check_json(f, args.base)
    check_theme()
    check_site()
    if args.verbose:
        for n in notes:
            print("note:", n)
    for p in problems:
        print("PROBLEM:", p)
    print(f"{len(problems)} problem(s), {len(notes)} note(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
