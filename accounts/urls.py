from django.urls import include, path

from accounts import session_views

urlpatterns = [
    path("", include("accounts.login_urls")),
    path("anvandare/", include("accounts.users_urls")),
    path("session/", session_views.session_status, name="session_status"),
]
