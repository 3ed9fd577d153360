from django.shortcuts import render

from . import selectors


def search(request):
    q = request.GET.get("q", "")
    return render(request, "catalog/search.html", {"q": q, "results": selectors.matter_search(query=q) if q else []})
