from django.db import models


class LoginFailure(models.Model):
    """One failed login (page or API token) for a user name from an address; the lockout counts these.

    Kept in the database, not in one process's memory, so every server process sees the same count."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "登录失败 Login failure"
        verbose_name_plural = "登录失败 Login failures"
        indexes = [models.Index(fields=["username", "ip", "at"], name="ops_loginfail_user_ip_at")]
