import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.template.loader import get_template

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
application = get_wsgi_application()

# The code a request runs, loaded now rather than at the first request: the URLconf imports
# every view, and with them the forms, selectors and services.
import_module(settings.ROOT_URLCONF)
# And what the first requests would otherwise build and keep: every template of the project
# compiled into the cached loader, and the URL resolver's maps, filled by the shell's addresses.
# Built after the freeze below, they stayed in the collector's way: on the demo, once every page
# had been served, a full collection walked some 41 000 long-lived objects; with them frozen,
# 14 000 (issue #12). A worker starts ~0.25 s later.
templates = settings.BASE_DIR / "templates"
for path in sorted(templates.rglob("*")):
    if path.suffix in {".html", ".txt"}:
        get_template(path.relative_to(templates).as_posix())
import_module("finsam.templatetags.finsam_shell").shell_urls()
# WeasyPrint too, which finsam.downloads imports at the first PDF so that the tests and
# runserver do not wait for it: in a worker that would add ~30 000 long-lived objects after the
# freeze (~10 ms more each full collection) and make the worker's first PDF 1.3 s slower. It
# costs each worker 1.3 s at start and ~22 MB.
import_module("weasyprint")
# Then everything loaded so far (some 180 000 objects: Django, the apps, their modules) moves
# into the permanent generation, which Python's collector never walks. Otherwise each full
# collection walks them all, a pause of some 70 ms every few hundred requests that falls on
# whichever request is running and puts it in the slowest percent (issue #12: p99). What a
# request makes is collected as before. Each gunicorn worker imports this module and freezes its
# own (with --preload the master does, before it forks them).
gc.collect()
gc.freeze()
