"""Hall pages (kiosk, clerk console, display board) come in a later round; a JSON index for now."""

from django.http import JsonResponse

from .selectors import queue_overview


def index(request):
    centre_id = request.GET.get("centre")
    return JsonResponse({"queues": queue_overview(centre_id=int(centre_id)) if centre_id and centre_id.isdigit()
                         else []}, json_dumps_params={"ensure_ascii": False})
