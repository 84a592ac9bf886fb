"""Merge an addon's exported .pot into its zh_CN.po.

Keeps every existing translation whose msgid (and msgctxt) is still in the
template, adds the new msgids with an empty msgstr for a translator, and
drops what the code no longer has. Usage:

    python scripts/i18n_merge.py addons/<addon>/i18n/<addon>.pot \
        addons/<addon>/i18n/zh_CN.po [translations.json]

The optional JSON maps msgids to translations to fill in where empty.
"""

import json
import sys

import polib


def merge(pot_path, po_path, fill=None):
    pot = polib.pofile(pot_path, wrapwidth=78)
    try:
        old = polib.pofile(po_path)
        known = {(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr}
    except OSError:
        known = {}
    fill = fill or {}
    pot.metadata["Language"] = "zh_CN"
    pot.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    for entry in pot:
        entry.msgstr = known.get((entry.msgctxt, entry.msgid)) or fill.get(
            entry.msgid, ""
        )
    pot.save(po_path)
    return sum(1 for e in pot if not e.msgstr), len(pot)


if __name__ == "__main__":
    extra = json.load(open(sys.argv[3], encoding="utf-8")) if len(sys.argv) > 3 else {}
    empty, total = merge(sys.argv[1], sys.argv[2], extra)
    print(f"{sys.argv[2]}: {total - empty} of {total} translated, {empty} to do")
