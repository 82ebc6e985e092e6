from django.urls import include, path

urlpatterns = [
    path("", include("accounts.login_urls")),
]
