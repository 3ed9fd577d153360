"""Staff pages of accounts: the login page (with the lockout) and 岗位/在岗状态 (A/B posts), outside the admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render

from yichuang.core.errors import DomainError, PermissionDeniedError, ValidationFailed

from . import selectors, services
from .constants import Role
from .forms import LockoutAuthenticationForm
from .models import User

ROSTER_ROLES = (Role.APPROVER, Role.SUPERVISOR, Role.ADMIN)


class LoginView(auth_views.LoginView):
    """Django's login view with the lockout form; a locked attempt answers 429."""

    template_name = "accounts/login.html"
    authentication_form = LockoutAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "locked", False):
            response.status_code = 429
        return response


def posts(request):
    """岗位/在岗状态: the A/B posts of the departments the user looks after; approvers of the department, the
    centre's administrators mark an approver absent or back (accounts.services.user_absence_set); supervisors
    see it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.role not in ROSTER_ROLES and not request.user.is_superuser:
        raise PermissionDeniedError("只有后台审批员、效能监察和管理员可以查看岗位在岗状态。",
                                    "Only approvers, supervisors and administrators see the post status.")
    error, failed = None, {}
    if request.method == "POST":
        p = request.POST
        absent = p.get("absent") == "1"
        try:
            target = User.objects.filter(pk=int(p.get("user") or 0)).first()
        except ValueError:
            target = None
        try:
            if target is None:
                raise ValidationFailed("用户不存在。", "No such user.", field="user")
            services.user_absence_set(actor=request.user, user=target, absent=absent, reason=p.get("reason", ""))
            messages.success(request, f"已将{target}标记为{'缺席' if absent else '在岗'}。")
            return redirect("accounts:posts")
        except DomainError as exc:
            error, failed = exc, {"user": p.get("user", ""), "reason": p.get("reason", "")}
    rows = selectors.post_roster(user=request.user)
    for row in rows:
        for u in row["approvers"]:
            u.can_set = services.user_absence_may_set(actor=request.user, user=u)
    return render(request, "accounts/posts.html", {"rows": rows, "error": error, "failed": failed})
