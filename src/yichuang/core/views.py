from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language

# The page errors (403, 404, 500) in the site frame, in the page's language, like every other page.
_HTTP_ERRORS = {
    403: ("无权访问", "Not allowed", "您的账号无权打开此页面。如需办理，请联系窗口工作人员或管理员。",
          "Your account may not open this page. Ask the window staff or an administrator."),
    404: ("页面不存在", "Page not found", "您要找的页面不存在或已移除，请检查地址，或从首页重新进入。",
          "The page does not exist or was removed. Check the address or start again from the home page."),
    500: ("系统暂时出错", "Something went wrong", "系统暂时出错，您填写的内容没有保存，请稍后再试。如问题持续，请联系管理员。",
          "Something went wrong on our side; nothing was saved. Try again later or tell an administrator."),
}


def home(request):
    return render(request, "core/home.html")


def _error_context(status: int) -> dict:
    title, title_en, text, text_en = _HTTP_ERRORS[status]
    english = (get_language() or "").startswith("en")
    return {"status": status, "title": title_en if english else title, "text": text_en if english else text}


def page_forbidden(request, exception=None):
    """handler403: Django's PermissionDenied (and CSRF refusals through ``csrf_failure``) in the site frame."""
    return render(request, "core/http_error.html", _error_context(403), status=403)


def page_not_found(request, exception=None):
    """handler404. An address under /api/ that no route serves answers as the API answers its errors (JSON)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "没有这个接口地址。",
                             "message_en": "No API route at this address."}, status=404)
    return render(request, "core/http_error.html", _error_context(404), status=404)


def server_error(request):
    """handler500: the site frame when it can be drawn; a bare page if drawing it fails too."""
    try:
        return render(request, "core/http_error.html", _error_context(500), status=500)
    except Exception:  # noqa: BLE001 - the frame itself is broken; still answer something readable
        return HttpResponseServerError(loader.get_template("core/error_bare.html").render(_error_context(500)))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without its token (an old tab, cookies off) gets the framed 403 page."""
    ctx = _error_context(403)
    english = (get_language() or "").startswith("en")
    ctx["text"] = ("The form expired or your browser blocked cookies. Go back, reload the page and send it again."
                   if english else "表单已过期或浏览器禁用了 Cookie。请返回、刷新页面后重新提交。")
    return render(request, "core/http_error.html", ctx, status=403)
