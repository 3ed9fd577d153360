"""A small hall for page and browser tests, built through the services."""

from yichuang.accounts.services import centre_create, department_create, user_create
from yichuang.catalog.services import domain_save
from yichuang.hall import services as hall


def build_hall():
    centre = centre_create(code="500107", name="九龙坡区政务服务中心", level="county")
    department_create(code="GA", name="区公安分局", centre=centre)
    social = domain_save(code="social", name="社会事务", ticket_prefix="A")
    business = domain_save(code="enterprise", name="企业事务", ticket_prefix="B")
    window = hall.window_create(actor=None, centre=centre, number="1", area="综合受理区")
    clerk = user_create(username="clerk", password="pw-123456789", role="clerk", display_name="李晓燕", centre=centre)
    hall.skill_set(user=clerk, domains=[social, business], level="senior")
    lazy = user_create(username="noskill", password="pw-123456789", role="clerk", centre=centre)
    supervisor = user_create(username="sup", password="pw-123456789", role="supervisor", centre=centre)
    return {"centre": centre, "social": social, "business": business, "window": window, "clerk": clerk,
            "noskill": lazy, "supervisor": supervisor}
