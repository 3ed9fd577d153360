"""Every component of the OpenAPI schema is the one class the routes use under that name.

django-ninja names a component by its class name and lets a later class of the same name overwrite an earlier
one, so two ``IssueIn`` classes documented one body for both routes (the kiosk's ticket route showed the case
issuance body; the body it documented got 422). This collects the classes the routers really use — the type hints
of every operation's function, the schemas of every app's api module and the models nested in them — and fails
when two different classes share a name or when a component is not the schema of its class.
"""

from __future__ import annotations

import importlib
import inspect
import typing
from collections import defaultdict

import pydantic
import pytest
from ninja import Router

from yichuang.config.api import api

APPS = ["accounts", "bundles", "cases", "catalog", "crossregion", "documents", "feedback", "hall", "licences",
        "sim", "supervision", "workcal"]


def _models_in(annotation, seen: set) -> typing.Iterator[type[pydantic.BaseModel]]:
    """Every pydantic model an annotation refers to (list[X], X | None, dict[str, X], nested fields)."""
    if inspect.isclass(annotation) and issubclass(annotation, pydantic.BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models_in(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        yield from _models_in(arg, seen)


def _routers(module) -> list[Router]:
    """The routers an app's api module mounts (most have one; accounts has two)."""
    return [v for v in vars(module).values() if isinstance(v, Router)]


def _router_classes() -> set[type[pydantic.BaseModel]]:
    seen: set = set()
    for app in APPS:
        module = importlib.import_module(f"yichuang.{app}.api")
        for operation in (op for r in _routers(module) for pv in r.path_operations.values() for op in pv.operations):
            for hint in typing.get_type_hints(operation.view_func).values():
                list(_models_in(hint, seen))
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__:
                list(_models_in(obj, seen))
    return {m for m in seen if not m.__module__.startswith(("ninja.", "pydantic."))}


@pytest.fixture(scope="module")
def schema() -> dict:
    return api.get_openapi_schema(path_prefix="/api/v1")


def test_no_two_classes_share_a_component_name():
    by_name: dict[str, list[str]] = defaultdict(list)
    for cls in _router_classes():
        by_name[cls.__name__].append(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not shared, f"schema classes sharing a component name (rename one): {shared}"


def test_each_component_is_the_schema_of_its_class(schema):
    classes = {cls.__name__: cls for cls in _router_classes()}
    components = schema["components"]["schemas"]
    for name, component in components.items():
        assert name in classes, f"component {name} belongs to no class of the routers"
        cls = classes[name]
        mine = cls.model_json_schema(ref_template="#/components/schemas/{model}")
        assert set(component.get("properties", {})) == set(mine.get("properties", {})), (
            f"component {name} documents the fields of another class than {cls.__module__}.{cls.__qualname__}")


def test_every_json_body_names_its_own_class(schema):
    """A route's documented JSON body is the class its function reads."""
    by_operation = {}
    for app in APPS:
        module = importlib.import_module(f"yichuang.{app}.api")
        for router in _routers(module):
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    hints = typing.get_type_hints(operation.view_func)
                    bodies = [m for name, hint in hints.items() if name == "payload"
                              for m in _models_in(hint, set())]
                    op_id = operation.operation_id or api.get_openapi_operation_id(operation)   # explicit first
                    by_operation[op_id] = bodies[0].__name__ if bodies else None
    for ops in schema["paths"].values():
        for op in ops.values():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            expected = by_operation[op["operationId"]]
            if content is None:
                assert expected is None, f"{op['operationId']} reads {expected} but documents no JSON body"
                continue
            body = content["schema"]
            refs = [body.get("$ref")] + [alt.get("$ref") for alt in body.get("anyOf", [])]
            assert f"#/components/schemas/{expected}" in refs, (
                f"{op['operationId']}: documents {body}, reads {expected}")


def test_operation_ids_are_unique_and_short(schema):
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert not [i for i in ids if i.startswith("yichuang_")]


def test_no_write_takes_a_query_parameter(schema):
    """What a write does is in its body (or its path), never in a query parameter that a client may not see
    (decide-now's ``?approve=`` defaulted to approve; no-show's ``?requeue=``, the import's ``?dry_run=``)."""
    found = [(method, path, p["name"]) for path, ops in schema["paths"].items() for method, op in ops.items()
             if method != "get" for p in op.get("parameters", []) if p["in"] == "query"]
    assert not found
