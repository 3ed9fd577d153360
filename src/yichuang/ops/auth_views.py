from django.contrib.auth import views as auth_views

from .forms import LockoutAuthenticationForm


class LoginView(auth_views.LoginView):
    """Django's login view with the lockout form; a locked attempt answers 429."""

    template_name = "accounts/login.html"
    authentication_form = LockoutAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "locked", False):
            response.status_code = 429
        return response
