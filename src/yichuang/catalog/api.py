from ninja import Router

router = Router(tags=["catalog 事项目录"])
