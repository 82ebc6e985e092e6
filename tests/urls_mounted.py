"""The app mounted under /finsam/ of another site's URLconf (tests/test_accounts.py)."""

from django.urls import include, path

urlpatterns = [path("finsam/", include("finsam.urls"))]
