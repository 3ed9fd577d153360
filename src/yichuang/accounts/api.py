from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from yichuang.core.errors import NotFound

from .auth import api_auth, token_auth
from .lockout import client_ip
from .models import User
from .selectors import post_roster
from .services import token_issue, token_revoke_own, user_absence_set, user_tokens_revoke

router = Router(tags=["auth 认证"])


class ApiErrorOut(Schema):
    """Every refusal of the API: ``message`` in Chinese, ``message_en`` in English."""

    code: str
    message: str
    message_en: str


class TokenIn(Schema):
    username: str
    password: str
    label: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"username": "clerk", "password": "yichuang-demo", "label": "窗口客户端"}]})


class TokenOut(Schema):
    token: str
    username: str
    role: str


@router.post("/token", response=TokenOut, summary="取得API令牌 Obtain an API token")
def obtain_token(request, payload: TokenIn):
    user, key = token_issue(username=payload.username, password=payload.password, label=payload.label,
                            ip=client_ip(request))
    return {"token": key, "username": user.username, "role": user.role}


@router.delete("/token", auth=token_auth, response={204: None, 401: ApiErrorOut},
               summary="撤销本令牌（退出） Revoke the token of this call (log out)")
def revoke_token(request):
    """The bearer token this call is sent with is revoked at once, in every server process; the user's other tokens
    stay valid. Only a bearer token can revoke itself (a page session logs out on the page)."""
    token_revoke_own(actor=request.auth, key=request.api_token_key)
    return Status(204, None)


# 岗位/在岗状态 (A/B posts): the same roster and the same audited service as the page /accounts/posts/.
posts_router = Router(tags=["accounts 岗位"])


class AbsenceIn(Schema):
    """Mark an approver absent (``absent: true`` with the reason) or back on post (``absent: false``)."""

    absent: bool = Field(description="true 缺席（B岗顶岗）、false 回岗 true: absent (post B acts); false: back")
    reason: str = Field("", description="缺席原因，缺席时必填 The reason, required when absent")

    model_config = ConfigDict(json_schema_extra={"examples": [{"absent": True, "reason": "年休假（12月2日至4日）"}]})


def _person(u) -> dict:
    return {"username": u.username, "name": u.display_name or u.username, "post": u.post, "absent": u.is_absent}


@posts_router.get("/posts", auth=api_auth, summary="岗位与在岗状态 A/B posts and who acts now")
def posts(request):
    return [{"department": row["department"].code, "department_name": row["department"].name,
             "acting_post": row["state"], "approvers": [_person(u) for u in row["approvers"]],
             "acting": [u.username for u in row["acting"]]}
            for row in post_roster(user=request.auth)]


@posts_router.post("/users/{username}/absence", auth=api_auth, summary="设置在岗状态 Set an approver absent or back")
def absence(request, username: str, payload: AbsenceIn):
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound("用户不存在。", "No such user.")
    user = user_absence_set(actor=request.auth, user=user, absent=payload.absent, reason=payload.reason)
    return _person(user)


class TokensRevokedOut(Schema):
    username: str
    revoked: int = Field(description="撤销的令牌数 How many tokens were revoked")


@posts_router.post("/users/{username}/tokens/revoke", auth=api_auth,
                   response={200: TokensRevokedOut, 401: ApiErrorOut, 403: ApiErrorOut, 404: ApiErrorOut},
                   summary="撤销用户的全部API令牌 Revoke every API token of a user")
def tokens_revoke(request, username: str):
    """An administrator (or the user himself) revokes every API token of the account: refused at once by every
    server process. Audited."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound("用户不存在。", "No such user.")
    return {"username": user.username, "revoked": user_tokens_revoke(actor=request.auth, user=user)}
