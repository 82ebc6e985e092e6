from django.urls import include, path

urlpatterns = [
    path("", include("accounts.login_urls")),
    path("anvandare/", include("accounts.users_urls")),
]
