#!/usr/bin/env python3
"""Write data/lozere/former_communes.csv: the communes merged into today's communes of Lozère.

INSEE's Code officiel géographique lists today's communes déléguées and associées (they are in
communes.csv), but not the communes merged for good, nor those whose commune déléguée was later
abolished (Florac, in Florac Trois Rivières since 2016). Their names come from INSEE's history
of the communes since 1943 as Etalab packaged it (decoupage-administratif 0.7.0, the last
version to ship it, state of 1 January 2019); today's communes and their former codes
(`anciensCodes`) from the version communes.csv was made from. Both are Licence Ouverte 2.0.

Old names of a commune that was only renamed (Sainte-Croix, now Sainte-Croix-Vallée-Française)
are not former communes and are left out. Run it again after updating communes.csv.
"""

import csv
import json
import sys
import tempfile
from pathlib import Path

from vendor_static import npm_pack

ROOT = Path(__file__).resolve().parent.parent
HISTORY = "@etalab/decoupage-administratif@0.7.0"
CURRENT = "@etalab/decoupage-administratif@6.0.0"
DEPARTEMENT = "48"
COLUMNS = ["insee", "name", "parent_insee", "until", "event"]
# How a commune stopped being one, in the history's words.
MERGED = {
    "fusion simple",
    "fusion-association",
    "commune devenant déléguée",
    "commune absorbée par la commune nouvelle",
}


def former_communes(history, current):
    """(code, name, current commune's code, end date, event) of every commune that ended by a
    merger into one of `current` (code → name of today's communes), but today's communes
    déléguées and associées and the current communes themselves."""
    by_id = {entity["id"]: entity for entity in history}
    kept = {}
    for entity in history:
        if entity["type"] != "COM" or entity.get("raisonFin") not in MERGED:
            continue
        parent = _current_parent(entity, by_id)
        if parent not in current or entity["nom"] == current[parent]:
            continue
        code = entity["code"]
        previous = kept.get(code)
        if previous is None or previous[3] < entity["dateFin"]:
            kept[code] = (code, entity["nom"], parent, entity["dateFin"], entity["raisonFin"])
    return sorted(kept.values())


def _current_parent(entity, by_id):
    """The code of the commune an ended commune lives on in: from each ended entity to its
    successor, and from a part (déléguée, associée, absorbed) to the commune it is part of."""
    while "dateFin" in entity:
        successor = by_id.get(entity.get("successeur", ""))
        if successor is None:
            return None
        entity = by_id.get(successor["pole"]) if "pole" in successor else successor
        if entity is None:
            return None
    return entity["code"]


def main(output=ROOT / "data" / "lozere" / "former_communes.csv"):
    with tempfile.TemporaryDirectory() as tmp:
        history = json.loads(
            (npm_pack(HISTORY, Path(tmp)) / "data" / "historique-communes.json").read_text()
        )
        communes = json.loads((npm_pack(CURRENT, Path(tmp)) / "data" / "communes.json").read_text())
    current = {
        c["code"]: c["nom"]
        for c in communes
        if c.get("departement") == DEPARTEMENT and c["type"] == "commune-actuelle"
    }
    still_listed = {
        c["code"]
        for c in communes
        if c.get("departement") == DEPARTEMENT and c["type"] != "commune-actuelle"
    }
    rows = [
        row
        for row in former_communes(
            [e for e in history if e["code"].startswith(DEPARTEMENT)], current
        )
        if row[0] not in still_listed
    ]
    with output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"{len(rows)} anciennes communes écrites dans {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
