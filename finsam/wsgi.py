import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
application = get_wsgi_application()

# The code a request runs, loaded now rather than at the first request: the URLconf imports
# every view, and with them the forms, selectors and services.
import_module(settings.ROOT_URLCONF)
# Then everything loaded so far (some 150 000 objects: Django, the apps, their modules) moves
# into the permanent generation, which Python's collector never walks. Otherwise each full
# collection walks them all, a pause of some 70 ms every few hundred requests that falls on
# whichever request is running and puts it in the slowest percent (issue #12: p99). What a
# request makes is collected as before. Each gunicorn worker imports this module and freezes its
# own (with --preload the master does, before it forks them).
gc.collect()
gc.freeze()
