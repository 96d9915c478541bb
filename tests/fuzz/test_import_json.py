"""Hostile campaign documents (JSON interchange) through the import page.

Examples start from a real exported plan and mutate it: keys removed or added, values of the
wrong type, huge or Unicode-hostile strings, extreme numbers, deep nesting; or the bytes are
not JSON at all. The import creates the plan (a redirect) or lists its problems in Vietnamese
and writes nothing.
"""

import copy
import json

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from campaigns.interchange import export_campaign
from tests.fuzz.checks import check_import
from tests.fuzz.strategies import hostile_text

pytestmark = pytest.mark.django_db

DEEP = "\u2063deep\u2063"  # placeholder replaced by deep nesting once serialized

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
    st.sampled_from([0, -1, 1900, 2026, 10**30, 1.5, "", "2026-02-30", "0000-00-00", "CT01", "LDLD-AP", "draft"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=6,
)


def paths(value, prefix=()):
    """Every path to a value inside ``value``: keys of dicts, indexes of lists."""
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


def parent_of(document, path):
    node = document
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated(draw, document):
    document = copy.deepcopy(document)
    all_paths = [p for p in paths(document) if p]
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(all_paths))
        try:
            parent = parent_of(document, path)
            key = path[-1]
            operation = draw(st.sampled_from(["replace", "replace", "delete", "extra", "deep", "duplicate"]))
            if operation == "replace":
                parent[key] = draw(json_values)
            elif operation == "delete":
                del parent[key]
            elif operation == "extra" and isinstance(parent, dict):
                parent[draw(hostile_text)] = draw(json_values)
            elif operation == "deep":
                parent[key] = DEEP
            elif operation == "duplicate" and isinstance(parent, list):
                parent.append(copy.deepcopy(parent[key]))
        except (KeyError, IndexError, TypeError):
            continue  # the path went away with an earlier mutation
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    depth = draw(st.sampled_from([10, 1000, 100_000]))
    return text.replace(json.dumps(DEEP), "[" * depth + "]" * depth).encode("utf-8", "surrogatepass")


raw_files = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf{}",
            b"\xff\xfe{\x00}\x00",
            b"[" * 100_000 + b"]" * 100_000,
            b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
            b"[1, 2, 3]",
            b'"chu\\u1ed7i"',
            b"NaN",
            b'{"document": {"year": 1e999}}',
            b'{"document": {"year": ' + b"9" * 5000 + b"}}",
            b"null",
            b'{"owner": "LDLD-AP", "owner": "LDLD-BS"}',
            b"%PDF-1.7\n%%EOF",
        ]
    ),
)


def test_campaign_import_survives_hostile_documents(client, tree, personas, published_plan, counts, fuzz_stats):
    document = export_campaign(published_plan)
    document["document"].pop("number", None)  # the original's number is taken: without it a copy imports
    url = reverse("campaigns:campaign_import")
    client.force_login(personas.province_staff)

    @given(st.one_of(mutated(document), mutated(document), mutated(document), raw_files))
    def run(content):
        check_import(client, url, content, counts, fuzz_stats, name="ke-hoach.json", content_type="application/json")

    run()
