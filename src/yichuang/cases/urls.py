"""Pages for cases come in a later round; the namespace is reserved now."""

app_name = "cases"

urlpatterns: list = []
