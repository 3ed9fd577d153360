"""The REST API under /api/v1. Each app contributes a router; errors map once to a clear JSON body.

Every error under /api/ is ``{code, message, message_en}`` (``message`` Chinese, ``message_en`` English, neither
naming a Python class or enum): business rules (``DomainError``), django-ninja's own refusals (validation, a body
that is not JSON, authentication, CSRF, throttling) through the exception handlers below, and what never reaches
an operation — an unknown route, a method the route does not take, a server error — through
:class:`ApiErrorMiddleware`, which rewrites Django's HTML error pages for /api/ paths.
"""

from __future__ import annotations

import json

from django.db import DataError, InternalError, OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError as NinjaValidationError

from yichuang.accounts.api import posts_router
from yichuang.accounts.api import router as accounts_router
from yichuang.bundles.api import router as bundles_router
from yichuang.cases.api import router as cases_router
from yichuang.catalog.api import router as catalog_router
from yichuang.core.errors import DomainError, storage_error
from yichuang.crossregion.api import router as regions_router
from yichuang.documents.api import router as documents_router
from yichuang.feedback.api import router as feedback_router
from yichuang.hall.api import router as hall_router
from yichuang.licences.api import router as licences_router
from yichuang.sim.api import router as sim_router
from yichuang.supervision.api import router as supervision_router
from yichuang.workcal.api import router as workcal_router

API_PREFIX = "/api/"

# The answer for an error status that carries nothing more specific (an unknown route, a method not allowed, …).
STATUS_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求无效，请检查后重试。", "The request is not valid; check it and try again."),
    401: ("unauthorized", "请先登录或提供有效令牌。", "Log in or send a valid bearer token."),
    403: ("forbidden", "您无权执行此操作。", "You may not do this."),
    404: ("not_found", "没有这个接口或资源，请核对地址。", "No such API route or resource; check the address."),
    405: ("method_not_allowed", "该接口不支持此请求方法。", "This route does not accept this request method."),
    406: ("not_acceptable", "无法按所要求的格式应答。", "The answer cannot be given in the format asked for."),
    409: ("conflict", "与当前状态冲突，请刷新后重试。", "This conflicts with the current state; reload and try again."),
    413: ("too_large", "请求体过大。", "The request body is too large."),
    415: ("unsupported_media_type", "不支持该请求体格式，请使用 JSON。", "Unsupported body format; send JSON."),
    422: ("invalid_request", "请求参数有误。", "Invalid request parameters."),
    429: ("throttled", "请求过于频繁，请稍后再试。", "Too many requests; try again shortly."),
    500: ("server_error", "服务器内部错误，已记录，请稍后重试。", "Internal server error (logged); try again shortly."),
    502: ("bad_gateway", "上游服务暂不可用，请稍后重试。", "An upstream service is unavailable; try again shortly."),
    503: ("unavailable", "服务暂不可用，请稍后重试。", "The service is unavailable; try again shortly."),
}


def status_error(status: int) -> dict:
    """The body for an error status: its own entry, else that of its class (4xx → 400, 5xx → 500)."""
    code, message, message_en = STATUS_ERRORS.get(status) or STATUS_ERRORS[500 if status >= 500 else 400]
    return {"code": code, "message": message, "message_en": message_en}


class YichuangAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """``<app>_<function>`` (``cases_decide_now``, ``hall_ticket_issue``): short, stable names for generated
        clients instead of django-ninja's module path (``yichuang_cases_api_decide_now``)."""
        module = operation.view_func.__module__.split(".")
        app = module[1] if len(module) > 2 and module[0] == "yichuang" else module[-1]
        return f"{app}_{operation.view_func.__name__}"


api = YichuangAPI(
    title="一窗 Yichuang API",
    version="1.0.0",
    description=(
        "政务服务中心“一窗综办”平台接口。认证：`POST /api/v1/auth/token` 取得令牌后以 "
        "`Authorization: Bearer <token>` 调用；页面会话同样有效。大厅从 `GET /api/v1/hall/centres/{centre_code}`"
        "（如 500107）开始：领域与窗口的 id 都在其中。错误统一返回 `{code, message (中文), message_en}`，"
        "参数错误另有 `details`（每处的 `field` 与 `type`）。\n\n"
        "REST API of the Yichuang one-window government service platform. Authenticate with "
        "`POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`. The hall starts at "
        "`GET /api/v1/hall/centres/{centre_code}` (e.g. 500107), which lists the ids of its domains and windows. "
        "Every error is `{code, message (Chinese), message_en (English)}`; invalid parameters add `details`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(request, status_error(401), status=401)


@api.exception_handler(Throttled)
def _throttled(request, exc):
    return api.create_response(request, status_error(429), status=429)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    """django-ninja's own refusals: a body it cannot parse (400), a failed CSRF check of a session call (403)."""
    status = exc.status_code
    if status == 400:
        body = {"code": "malformed_body", "message": "请求体不是有效的 JSON 或表单，请检查格式。",
                "message_en": "The request body is not valid JSON or form data; check its format."}
    elif status == 403 and "csrf" in str(exc).lower():
        body = {"code": "csrf_failed", "message": "页面会话的安全校验（CSRF）未通过，请刷新页面后重试，或改用令牌。",
                "message_en": "The session's CSRF check failed; reload the page and try again, or use a token."}
    else:
        body = status_error(status)
    return api.create_response(request, body, status=status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, status_error(404), status=404)


# What each kind of pydantic error means, in words (the rest: "格式不对" / "has the wrong format").
_PROBLEMS: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填项", "is required"),
    "int_parsing": ("应为整数", "must be a whole number"),
    "int_type": ("应为整数", "must be a whole number"),
    "int_from_float": ("应为整数", "must be a whole number"),
    "float_parsing": ("应为数字", "must be a number"),
    "float_type": ("应为数字", "must be a number"),
    "bool_parsing": ("应为是或否（布尔值）", "must be true or false"),
    "bool_type": ("应为是或否（布尔值）", "must be true or false"),
    "string_type": ("应为文本", "must be text"),
    "string_too_long": ("过长", "is too long"),
    "string_too_short": ("过短", "is too short"),
    "dict_type": ("应为对象（键值对）", "must be an object"),
    "model_type": ("应为对象（键值对）", "must be an object"),
    "model_attributes_type": ("应为对象（键值对）", "must be an object"),
    "list_type": ("应为列表", "must be a list"),
    "date_parsing": ("应为日期（如 2026-12-31）", "must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": ("应为日期（如 2026-12-31）", "must be a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": ("应为日期（如 2026-12-31）", "must be a date (YYYY-MM-DD)"),
    "date_type": ("应为日期（如 2026-12-31）", "must be a date (YYYY-MM-DD)"),
    "datetime_parsing": ("应为日期时间（如 2026-12-31T09:30:00+08:00）", "must be a date and time (ISO 8601)"),
    "datetime_from_date_parsing": ("应为日期时间（如 2026-12-31T09:30:00+08:00）", "must be a date and time (ISO 8601)"),
    "time_parsing": ("应为时间（如 09:30）", "must be a time (HH:MM)"),
    "greater_than": ("数值过小", "is too small"),
    "greater_than_equal": ("数值过小", "is too small"),
    "less_than": ("数值过大", "is too large"),
    "less_than_equal": ("数值过大", "is too large"),
    "too_long": ("项数过多", "has too many items"),
    "too_short": ("项数过少", "has too few items"),
    "json_invalid": ("不是有效的 JSON", "is not valid JSON"),
    "json_type": ("不是有效的 JSON", "is not valid JSON"),
    "literal_error": ("取值不在允许范围内", "is not one of the allowed values"),
    "enum": ("取值不在允许范围内", "is not one of the allowed values"),
    "uuid_parsing": ("应为 UUID 格式", "must be a UUID"),
}
# Where django-ninja says a parameter was read from, and the name of the body parameter, left out of field paths.
_SOURCES = {"body": ("请求体", "the body"), "query": ("查询参数", "the query"), "path": ("路径", "the path"),
            "form": ("表单", "the form"), "file": ("上传文件", "the upload"), "header": ("请求头", "a header"),
            "cookie": ("Cookie", "a cookie")}
_BODY_PARAMS = {"payload", "body", "data"}


def _field_path(loc: list) -> tuple[str, str]:
    """(source, dotted field) of a pydantic location such as ("body", "payload", "materials", "app")."""
    parts = [str(p) for p in loc]
    source = parts.pop(0) if parts and parts[0] in _SOURCES else ""
    if source in ("body", "form", "file") and parts and parts[0] in _BODY_PARAMS:
        parts.pop(0)
    return source, ".".join(parts)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    details, zh, en = [], [], []
    for e in exc.errors:
        source, field = _field_path(list(e.get("loc", [])))
        kind = str(e.get("type", ""))
        problem_zh, problem_en = _PROBLEMS.get(kind, ("格式不对", "has the wrong format"))
        where_zh, where_en = _SOURCES.get(source, ("请求", "the request"))
        if field:
            zh.append(f"{field} {problem_zh}")
            en.append(f"{field} {problem_en}")
        else:
            zh.append(f"{where_zh}{problem_zh}")
            en.append(f"{where_en} {problem_en}")
        details.append({"source": source, "field": field, "type": kind, "message": problem_zh,
                        "message_en": problem_en})
    zh, en = list(dict.fromkeys(zh)), list(dict.fromkeys(en))
    body = {"code": "invalid_request", "message": "请求参数有误：" + "；".join(zh) + "。",
            "message_en": "Invalid request: " + "; ".join(en) + ".", "details": details}
    fields = [d["field"] for d in details if d["field"]]
    if len(set(fields)) == 1:
        body["field"] = fields[0]
    return api.create_response(request, body, status=422)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request, exc):
    """A number too large for the database (an id of 10^22) or, on PostgreSQL, a text too long for its column:
    the request is wrong, not the server (found by schemathesis)."""
    return api.create_response(
        request, {"code": "invalid_request", "message": "请求参数超出允许的范围或长度。",
                  "message_en": "A request parameter is out of range or too long."}, status=422)


@api.exception_handler(OperationalError)
@api.exception_handler(InternalError)
def _storage(request, exc):
    """A full disk or a read-only database: 503 in the error shape (core.errors.storage_error); anything else stays
    a 500."""
    err = storage_error(exc)
    if err is None:
        raise exc
    return api.create_response(request, err.as_dict(), status=err.status)


class ApiErrorMiddleware:
    """An error answer under /api/ that is not already JSON — Django's 404 page for an unknown route, django-ninja's
    plain 405, the 500 page, a 400 for a request Django refuses (too many fields, a bad Host) — gets the API's
    error body, in place (status and headers such as ``Allow`` kept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code >= 400 and request.path.startswith(API_PREFIX)
                and not getattr(response, "streaming", False)
                and not response.get("Content-Type", "").startswith("application/json")):
            body = status_error(response.status_code)
            if response.status_code == 405 and response.get("Allow"):
                allowed = response["Allow"].replace(" ", "").replace(",", "、")
                body["message"] = f"该接口不支持此请求方法，可用：{allowed}。"
                body["message_en"] = f"This route does not accept this request method; use {response['Allow']}."
            response.content = json.dumps(body, ensure_ascii=False).encode()
            response["Content-Type"] = "application/json; charset=utf-8"
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


def _register_routers() -> None:
    api.add_router("/auth", accounts_router)
    api.add_router("/accounts", posts_router)
    api.add_router("/catalog", catalog_router)
    api.add_router("/calendar", workcal_router)
    api.add_router("/cases", cases_router)
    api.add_router("/hall", hall_router)
    api.add_router("/supervision", feedback_router)
    api.add_router("/supervision", supervision_router)
    api.add_router("/licences", licences_router)
    api.add_router("/documents", documents_router)
    api.add_router("/sim", sim_router)
    api.add_router("/bundles", bundles_router)
    api.add_router("/regions", regions_router)


_register_routers()
