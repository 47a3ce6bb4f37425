"""The API reference at ``/docs``, rendered on the server from the app's own OpenAPI document.

Swagger UI and ReDoc load their scripts from a CDN, which the content security policy forbids, and
no package of the lock ships their assets; a plain HTML page needs neither, works without script,
and stays in step with ``/openapi.json`` because it is made from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The methods an operation can have, in the order they are listed.
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Param:
    name: str
    where: str
    type: str
    required: bool
    description: str = ""
    default: Any = None
    constraints: str = ""


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    params: list[Param] = field(default_factory=list)
    body: str | None = None
    responses: list[tuple[str, str, str]] = field(default_factory=list)  # code, description, types
    secured: bool = False

    @property
    def anchor(self) -> str:
        return f"{self.method}-" + "".join(c if c.isalnum() else "-" for c in self.path).strip("-")

    @property
    def tryable(self) -> bool:
        """A GET without path parameters can be tried with a plain form."""
        return self.method == "get" and "{" not in self.path


def type_name(schema: dict[str, Any] | None) -> str:
    """A short type for people: ``string``, ``integer[]``, ``DocumentOut``, ``"json" | "csv"``."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return " | ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(dict.fromkeys(type_name(s) for s in schema[key]))
    if schema.get("type") == "array":
        return f"{type_name(schema.get('items'))}[]"
    return str(schema.get("type", "object"))


def _constraints(schema: dict[str, Any]) -> str:
    parts = []
    labels = (("minimum", "≥"), ("maximum", "≤"), ("minLength", "length ≥"), ("maxLength", "length ≤"))
    for key, label in labels:
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    if "pattern" in schema:
        parts.append(f"pattern {schema['pattern']}")
    for sub in schema.get("anyOf", ()):
        if sub.get("type") != "null":
            parts.append(_constraints(sub))
    return ", ".join(p for p in parts if p)


def operations(spec: dict[str, Any]) -> list[Operation]:
    """Every operation of ``spec``, in the document's path order."""
    ops = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [
                Param(
                    name=p["name"],
                    where=p["in"],
                    type=type_name(p.get("schema")),
                    required=bool(p.get("required")),
                    description=p.get("description") or p.get("schema", {}).get("description", ""),
                    default=p.get("schema", {}).get("default"),
                    constraints=_constraints(p.get("schema", {})),
                )
                for p in op.get("parameters", [])
            ]
            content = op.get("requestBody", {}).get("content", {})
            body = ", ".join(f"{t}: {type_name(c.get('schema'))}" for t, c in content.items()) or None
            responses = [
                (code, r.get("description", ""), ", ".join(r.get("content", {})))
                for code, r in op.get("responses", {}).items()
            ]
            summary, _, rest = (op.get("description") or op.get("summary") or "").partition("\n")
            ops.append(
                Operation(
                    method=method,
                    path=path,
                    summary=summary.strip() or op.get("summary", ""),
                    description=rest.strip(),
                    params=params,
                    body=body,
                    responses=responses,
                    secured=bool(op.get("security")),
                )
            )
    return ops


def schemas(spec: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str, bool, str]]]]:
    """Each component schema: name, description and fields (name, type, required, description)."""
    out = []
    for name, s in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(s.get("required", ()))
        fields = [
            (k, type_name(v), k in required, v.get("description", ""))
            for k, v in s.get("properties", {}).items()
        ]
        out.append((name, s.get("description", ""), fields))
    return out
