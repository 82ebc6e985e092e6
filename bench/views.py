"""The benchmark's baseline: the least a Django view can do, served by the same processes and
middleware as the pages, so that each page's throughput reads as a share of it. Routed only when
FINSAM_BENCH=1 (finsam/urls.py); production never has it."""

from django.http import HttpResponse


def baseline(request):
    return HttpResponse("ok", content_type="text/plain")
