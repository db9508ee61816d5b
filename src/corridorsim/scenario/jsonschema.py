"""The JSON Schema of scenario files, for editors that complete and check YAML."""

from __future__ import annotations

from typing import Any

from corridorsim.scenario.format import Scenario

__all__ = ["scenario_json_schema"]


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files, as editors should see them.

    Beyond pydantic's schema of :class:`Scenario`: a bare number is accepted wherever a
    distribution is (it means a fixed value), and a file that ``extends`` another may
    leave the required keys to its parent.
    """
    schema = Scenario.model_json_schema(by_alias=True)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: walk(v) for k, v in node.items()}
            mapping = node.get("discriminator", {}).get("mapping", {})
            if "fixed" in mapping and "lognormal" in mapping:
                return {"anyOf": [{"type": "number", "minimum": 0}, node]}
            return node
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    schema = walk(schema)
    assert isinstance(schema, dict)
    required = schema.pop("required", [])
    schema["if"] = {"not": {"required": ["extends"]}}
    schema["then"] = {"required": required}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "corridorsim scenario"
    return schema
