"""A small, strict JSON Schema checker for the schema pydantic exports of the case file.

It understands exactly the keywords ``Case.model_json_schema()`` produces, and one pydantic
convention: a Decimal field is exported as ``anyOf: [number with limits, string]``, so a string
there must be a decimal that meets the number's limits. It is meant to be *at least as strict*
as pydantic: anything it accepts, the models accept (a property test checks this); anything
it refuses goes to the full model for the exact message.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

_DECIMAL_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class SchemaError(ValueError):
    """Where the instance breaks the schema."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '(top level)'}: {message}")
        self.path = path


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def _check_limits(number: Decimal, schema: dict[str, Any], path: str) -> None:
    if "minimum" in schema and number < Decimal(repr(schema["minimum"])):
        raise SchemaError(path, "below minimum")
    if "maximum" in schema and number > Decimal(repr(schema["maximum"])):
        raise SchemaError(path, "above maximum")
    if "exclusiveMinimum" in schema and number <= Decimal(repr(schema["exclusiveMinimum"])):
        raise SchemaError(path, "not above the minimum")
    if "exclusiveMaximum" in schema and number >= Decimal(repr(schema["exclusiveMaximum"])):
        raise SchemaError(path, "not below the maximum")


class Validator:
    """Checks instances against one schema document with ``$defs``."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.defs: dict[str, Any] = schema.get("$defs", {})

    def validate(self, instance: Any) -> None:
        self._check(instance, self.schema, "")

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref")
        if ref is None:
            return schema
        name = ref.rsplit("/", 1)[-1]
        return self.defs[name]

    def _check(self, value: Any, schema: dict[str, Any], path: str) -> None:
        schema = self._resolve(schema)
        if "anyOf" in schema:
            self._any_of(value, schema["anyOf"], path)
            return
        if "const" in schema and value != schema["const"]:
            raise SchemaError(path, f"must be {schema['const']!r}")
        if "enum" in schema and value not in schema["enum"]:
            raise SchemaError(path, "not one of the allowed values")
        kind = schema.get("type")
        if kind is None:
            if "enum" in schema or "const" in schema:
                return
            raise SchemaError(path, "schema without a type")
        getattr(self, f"_type_{kind}")(value, schema, path)

    def _any_of(self, value: Any, options: list[dict[str, Any]], path: str) -> None:
        resolved = [self._resolve(o) for o in options]
        numbers = [o for o in resolved if o.get("type") in ("number", "integer")]
        plain_strings = [o for o in resolved if o.get("type") == "string" and len(o) == 1]
        if isinstance(value, str) and numbers and plain_strings:
            # pydantic's Decimal: a string branch stands for "a decimal written as text".
            text = value.strip()
            if not _DECIMAL_RE.match(text):
                raise SchemaError(path, "not a decimal number")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise SchemaError(path, "not a decimal number") from None
            _check_limits(number, numbers[0], path)
            return
        errors = []
        for option in options:
            try:
                self._check(value, option, path)
                return
            except SchemaError as exc:
                errors.append(exc)
        raise errors[0] if errors else SchemaError(path, "no option matches")

    def _type_null(self, value: Any, schema: dict[str, Any], path: str) -> None:
        if value is not None:
            raise SchemaError(path, "must be null")

    def _type_boolean(self, value: Any, schema: dict[str, Any], path: str) -> None:
        if not isinstance(value, bool):
            raise SchemaError(path, "must be true or false")

    def _type_integer(self, value: Any, schema: dict[str, Any], path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(path, "must be a whole number")
        _check_limits(Decimal(value), schema, path)

    def _type_number(self, value: Any, schema: dict[str, Any], path: str) -> None:
        number = _number(value)
        if number is None or not number.is_finite():
            raise SchemaError(path, "must be a number")
        _check_limits(number, schema, path)

    def _type_string(self, value: Any, schema: dict[str, Any], path: str) -> None:
        if not isinstance(value, str):
            raise SchemaError(path, "must be text")
        if "minLength" in schema and len(value) < schema["minLength"]:
            raise SchemaError(path, "too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise SchemaError(path, "too long")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise SchemaError(path, "does not match the expected form")
        fmt = schema.get("format")
        if fmt == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise SchemaError(path, "not a YYYY-MM-DD date")
            try:
                date.fromisoformat(value)
            except ValueError:
                raise SchemaError(path, "not a real date") from None
        elif fmt is not None:
            raise SchemaError(path, f"unsupported format {fmt}")

    def _type_array(self, value: Any, schema: dict[str, Any], path: str) -> None:
        if not isinstance(value, list):
            raise SchemaError(path, "must be a list")
        if "minItems" in schema and len(value) < schema["minItems"]:
            raise SchemaError(path, "too few items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            raise SchemaError(path, "too many items")
        if "prefixItems" in schema or "uniqueItems" in schema:
            raise SchemaError(path, "unsupported array schema")
        items = schema.get("items")
        if items is not None:
            for i, item in enumerate(value):
                self._check(item, items, f"{path}.{i}" if path else str(i))

    def _type_object(self, value: Any, schema: dict[str, Any], path: str) -> None:
        if not isinstance(value, dict):
            raise SchemaError(path, "must be an object")
        props: dict[str, Any] = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                raise SchemaError(f"{path}.{key}" if path else key, "missing")
        if schema.get("additionalProperties") is False:
            extra = [k for k in value if k not in props]
            if extra:
                raise SchemaError(path, f"unknown field {extra[0]!r}")
        elif "additionalProperties" in schema:
            raise SchemaError(path, "unsupported object schema")
        for key, sub in props.items():
            if key in value:
                self._check(value[key], sub, f"{path}.{key}" if path else key)
