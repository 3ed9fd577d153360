from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from yichuang.core.fields import EncryptedCharField

from .constants import CentreLevel, Post, Role


class Centre(models.Model):
    """政务服务中心 / 便民服务站: a place that serves the public, at one level of the hierarchy."""

    code = models.CharField("行政区划代码 Division code", max_length=12, unique=True)
    name = models.CharField("名称 Name", max_length=100)
    level = models.CharField("层级 Level", max_length=16, choices=CentreLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name="上级 Parent")
    address = models.CharField("地址 Address", max_length=200, blank=True)
    phone = models.CharField("电话 Phone", max_length=40, blank=True)
    opening_hours = models.CharField("办公时间 Opening hours", max_length=200, blank=True)
    is_active = models.BooleanField("启用 Active", default=True)

    class Meta:
        verbose_name = "中心 Centre"
        verbose_name_plural = "中心 Centres"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """审批部门: a department whose back office decides the matters it owns."""

    code = models.CharField("部门编码 Code", max_length=40, unique=True)
    name = models.CharField("名称 Name", max_length=100)
    short_name = models.CharField("简称 Short name", max_length=40, blank=True)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="departments", verbose_name="所在中心 Centre")
    is_active = models.BooleanField("启用 Active", default=True)

    class Meta:
        verbose_name = "部门 Department"
        verbose_name_plural = "部门 Departments"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="department_unique_name_per_centre")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    display_name = models.CharField("姓名 Name", max_length=60, blank=True)
    role = models.CharField("角色 Role", max_length=16, choices=Role.choices, default=Role.APPLICANT)
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
                               verbose_name="中心 Centre")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
                                   verbose_name="部门 Department")
    post = models.CharField("岗位 Post", max_length=1, choices=Post.choices, blank=True)
    is_absent = models.BooleanField("A岗缺席 Absent", default=False)
    phone = EncryptedCharField("手机 Phone", kind="phone", max_length=20, blank=True)
    id_number = EncryptedCharField("身份证号 ID number", kind="id_number", max_length=18, blank=True)

    class Meta:
        verbose_name = "用户 User"
        verbose_name_plural = "用户 Users"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.role != Role.APPLICANT


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API令牌 API token"
        verbose_name_plural = "API令牌 API tokens"


class LoginFailure(models.Model):
    """One failed login (page or API token) for a user name from an address; the lockout (accounts.lockout) counts
    these. Kept in the database, not in one process's memory, so every server process sees the same count.

    Moved here from the ops app with its table (``ops_loginfailure``) and index names unchanged."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45)
    at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "ops_loginfailure"
        verbose_name = "登录失败 Login failure"
        verbose_name_plural = "登录失败 Login failures"
        indexes = [models.Index(fields=["username", "ip", "at"], name="ops_loginfail_user_ip_at")]
