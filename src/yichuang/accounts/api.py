from ninja import Router, Schema
from pydantic import ConfigDict

from yichuang.ops.lockout import client_ip

from .services import token_issue

router = Router(tags=["auth 认证"])


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
