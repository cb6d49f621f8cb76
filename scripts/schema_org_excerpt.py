#!/usr/bin/env python3
"""Write tests/places/schema_org.json: the part of schema.org's vocabulary the JSON-LD tests
check the place pages against (tests/places/test_structured.py).

Usage: scripts/schema_org_excerpt.py schemaorg-current-https.jsonld RELEASE
(the file is in https://github.com/schemaorg/schemaorg, data/releases/RELEASE/).

The excerpt holds every type the site writes (places.structured.SCHEMA_TYPES and the objects
nested in a place), their ancestors, and every property schema.org gives any of them, with its
domain. Run it again with a newer release when a type is added to SCHEMA_TYPES.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUTPUT = ROOT / "tests" / "places" / "schema_org.json"
NESTED = ["PostalAddress", "GeoCoordinates", "OpeningHoursSpecification"]
NESTED += ["LocationFeatureSpecification"]


def names(value):
    values = value if isinstance(value, list) else [value] if value else []
    return sorted(item["@id"].removeprefix("schema:") for item in values)


def main(source, release):
    from places.structured import DEFAULT_SCHEMA_TYPE, NETWORK_SCHEMA_TYPES, SCHEMA_TYPES

    graph = {node["@id"]: node for node in json.loads(Path(source).read_text())["@graph"]}
    wanted = {*SCHEMA_TYPES.values(), *NETWORK_SCHEMA_TYPES.values(), DEFAULT_SCHEMA_TYPE}
    types, todo = {}, sorted(wanted | set(NESTED))
    while todo:
        name = todo.pop()
        if name not in types:
            types[name] = names(graph[f"schema:{name}"].get("rdfs:subClassOf"))
            todo += types[name]
    properties = {}
    for node_id, node in graph.items():
        domain = names(node.get("schema:domainIncludes"))
        if node.get("@type") == "rdf:Property" and set(domain) & set(types):
            properties[node_id.removeprefix("schema:")] = domain
    excerpt = {
        "source": f"https://github.com/schemaorg/schemaorg data/releases/{release}/"
        "schemaorg-current-https.jsonld",
        "made_by": "scripts/schema_org_excerpt.py",
        "types": dict(sorted(types.items())),
        "properties": dict(sorted(properties.items())),
    }
    OUTPUT.write_text(json.dumps(excerpt, indent=1, ensure_ascii=False) + "\n")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(types)} types, {len(properties)} properties")


if __name__ == "__main__":
    main(*sys.argv[1:])
