"""The REST API under /api/v1. Each app contributes a router; errors map once to a clear JSON body."""

from django.db import DataError
from django.utils.translation import get_language
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError as NinjaValidationError

from yichuang.core.errors import DomainError

api = NinjaAPI(
    title="一窗 Yichuang API",
    version="1.0.0",
    description=(
        "政务服务中心“一窗综办”平台接口。认证：`POST /api/v1/auth/token` 取得令牌后以 "
        "`Authorization: Bearer <token>` 调用；页面会话同样有效。错误统一返回 "
        "`{code, message (中文), message_en}`。\n\n"
        "REST API of the Yichuang one-window government service platform."
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
    return api.create_response(
        request, {"code": "unauthorized", "message": "请先登录或提供有效令牌。",
                  "message_en": "Log in or send a valid bearer token."}, status=401)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    details = [
        {"loc": [str(p) for p in e.get("loc", [])], "msg": e.get("msg", "")} for e in exc.errors
    ]
    fields = "、".join(".".join(d["loc"][1:] or d["loc"]) for d in details)
    return api.create_response(
        request, {"code": "invalid_request", "message": f"请求参数有误：{fields}",
                  "message_en": f"Invalid request parameters: {fields}", "details": details}, status=422)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request, exc):
    """A number too large for the database (an id of 10^22) or, on PostgreSQL, a text too long for its column:
    the request is wrong, not the server (found by schemathesis)."""
    return api.create_response(
        request, {"code": "invalid_request", "message": "请求参数超出允许的范围或长度。",
                  "message_en": "A request parameter is out of range or too long."}, status=422)


def _register_routers() -> None:
    from yichuang.accounts.api import router as accounts_router
    from yichuang.bundles.api import router as bundles_router
    from yichuang.crossregion.api import router as regions_router
    from yichuang.cases.api import router as cases_router
    from yichuang.catalog.api import router as catalog_router
    from yichuang.documents.api import router as documents_router
    from yichuang.hall.api import router as hall_router
    from yichuang.supervision.api import router as supervision_router
    from yichuang.licences.api import router as licences_router
    from yichuang.sim.api import router as sim_router
    from yichuang.workcal.api import router as workcal_router

    api.add_router("/auth", accounts_router)
    api.add_router("/catalog", catalog_router)
    api.add_router("/calendar", workcal_router)
    api.add_router("/cases", cases_router)
    api.add_router("/hall", hall_router)
    api.add_router("/supervision", supervision_router)
    api.add_router("/licences", licences_router)
    api.add_router("/documents", documents_router)
    api.add_router("/sim", sim_router)
    api.add_router("/bundles", bundles_router)
    api.add_router("/regions", regions_router)


_register_routers()
