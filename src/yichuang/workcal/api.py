from ninja import Router

router = Router(tags=["calendar 工作日历"])
