"""Strict mode: request bodies validated against the published OpenAPI document.

`jsonschema` is imported lazily (a test dependency only). The published document has errors that
would reject valid Notion requests; ERRATA corrects them at load time, one reason each.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from .errors import invalid

SPEC_PATH = Path(__file__).with_name("spec") / "notion-openapi.json"
_JSON_OR_NULL = {"type": ["object", "null"]}
_BODY = ("requestBody", "content", "application/json", "schema")
_RICH_TEXT_ANY = {
    "type": "object",
    "properties": {
        "type": {"enum": ["text", "mention", "equation"]},
        "text": {"type": "object", "required": ["content"],
                 "properties": {"content": {"type": "string"},
                                "link": {"type": ["object", "null"]}},
                 "additionalProperties": False},
        "mention": {"type": "object"},
        "equation": {"type": "object", "required": ["expression"]},
        "annotations": {"type": "object"},
        "plain_text": {"type": "string"},
        "href": {"type": ["string", "null"]},
    },
    "anyOf": [{"required": ["text"]}, {"required": ["mention"]}, {"required": ["equation"]}],
    "additionalProperties": False,
}
_RICH_TEXT_REF = {"$ref": "#/components/schemas/richTextRequest"}
_TEXT_BLOCK = {"type": "object", "required": ["rich_text"],
               "properties": {"rich_text": {"type": "array", "maxItems": 100,
                                            "items": _RICH_TEXT_REF},
                              "color": {"type": "string"},
                              "children": {"type": "array", "maxItems": 100}},
               "additionalProperties": False}

# (path inside the document, replacement, why the published text is wrong)
ERRATA = (
    (("components", "schemas", "richTextRequest"), _RICH_TEXT_ANY,
     "rich text may carry annotations and may be a mention or an equation"),
    (("components", "schemas", "paragraphBlockRequest", "properties", "paragraph"), _TEXT_BLOCK,
     "paragraph blocks accept color and nested children"),
    (("components", "schemas", "bulletedListItemBlockRequest", "properties",
      "bulleted_list_item"), _TEXT_BLOCK, "list items accept color and nested children"),
    (("components", "schemas", "paragraphBlockRequest", "properties", "object"),
     {"const": "block"}, "block requests may say object: block"),
    (("components", "schemas", "bulletedListItemBlockRequest", "properties", "object"),
     {"const": "block"}, "block requests may say object: block"),
    (("components", "schemas", "blockObjectRequest"),
     {"anyOf": [{"$ref": "#/components/schemas/paragraphBlockRequest"},
                {"$ref": "#/components/schemas/bulletedListItemBlockRequest"},
                {"type": "object", "not": {"anyOf": [{"required": ["paragraph"]},
                                                     {"required": ["bulleted_list_item"]}]}}]},
     "the document describes two block types; the others are checked by the workspace itself"),
    (("components", "schemas", "parentRequest", "oneOf"),
     [{"$ref": "#/components/schemas/pageIdParentRequest"},
      {"$ref": "#/components/schemas/dataSourceIdParentRequest"},
      {"type": "object", "required": ["data_source_id"],
       "properties": {"type": {"const": "data_source_id"}, "data_source_id": {"type": "string"}}},
      {"type": "object", "properties": {"type": {"const": "workspace"}}, "required": ["type"]}],
     "2025-09-03 pages are created in a data source, which the document cannot name"),
    (("components", "schemas", "sortObject"),
     {"type": "object", "required": ["direction"],
      "properties": {"property": {"type": "string"},
                     "timestamp": {"enum": ["created_time", "last_edited_time"]},
                     "direction": {"enum": ["ascending", "descending"]}},
      "oneOf": [{"required": ["property"]}, {"required": ["timestamp"]}]},
     "sorts may be timestamp sorts"),
    (("paths", "/v1/pages", "post", *_BODY, "properties", "children", "items"),
     {"type": "object"}, "children are block objects, not strings"),
    (("paths", "/v1/pages", "post", *_BODY, "properties", "icon"), _JSON_OR_NULL,
     "icons are objects"),
    (("paths", "/v1/pages", "post", *_BODY, "properties", "cover"), _JSON_OR_NULL,
     "covers are objects"),
    (("paths", "/v1/pages/{page_id}", "patch", *_BODY, "properties", "icon"), _JSON_OR_NULL,
     "icons may be external files or null, not only emoji"),
    (("paths", "/v1/pages/{page_id}", "patch", *_BODY, "properties", "cover"), _JSON_OR_NULL,
     "a cover may be removed with null"),
    (("paths", "/v1/data_sources", "post", *_BODY, "properties", "parent"),
     {"$ref": "#/components/schemas/dataSourceIdParentRequest"},
     "a data source's parent is a database"),
    (("paths", "/v1/pages", "post", *_BODY, "required"), ["parent"],
     "properties may be omitted (an untitled page)"),
    (("paths", "/v1/comments", "post", *_BODY),
     {"type": "object", "required": ["rich_text"],
      "properties": {"parent": {"type": "object"}, "discussion_id": {"type": "string"},
                     "rich_text": {"type": "array", "items": _RICH_TEXT_REF},
                     "attachments": {"type": "array"}, "display_name": {"type": "object"}}},
     "comments reply in a discussion (discussion_id), sit on blocks, carry attachments and "
     "display names, and their text is ordinary rich text"),
)


def load_spec() -> dict:
    """The published document with ERRATA applied."""
    document = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    for path, replacement, _reason in ERRATA:
        holder = document
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = copy.deepcopy(replacement)
    return document


class SpecValidator:
    """Validates request bodies for the operations the document covers."""

    def __init__(self):
        import jsonschema

        self._jsonschema = jsonschema
        self.document = load_spec()
        self._validators: dict[tuple[str, str], object] = {}
        for path, operations in self.document["paths"].items():
            for method, operation in operations.items():
                schema = operation.get("requestBody", {}).get("content", {}).get(
                    "application/json", {}).get("schema")
                if schema is not None:
                    rooted = {**schema, "components": self.document["components"]}
                    self._validators[(method.upper(), path)] = (
                        jsonschema.Draft202012Validator(rooted))

    def covers(self, method: str, route: str) -> bool:
        """Whether the document describes this operation's body."""
        return (method, _spec_path(route)) in self._validators

    def check(self, method: str, route: str, body: dict) -> None:
        """Raise validation_error if the body breaks the (corrected) document."""
        validator = self._validators.get((method, _spec_path(route)))
        if validator is None:
            return
        error = self._jsonschema.exceptions.best_match(validator.iter_errors(body))
        if error is not None:
            where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
            raise invalid(f"body failed validation (OpenAPI): body{where}: {error.message}")


def _spec_path(route: str) -> str:
    return route.replace("<", "{").replace(">", "}")
