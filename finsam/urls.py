from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from finsam import views
from finsam.forms import LoginForm

admin.site.site_header = "Finsam – administration"
admin.site.site_title = "Finsam"

urlpatterns = [
    path("", views.start, name="start"),
    path("forbund/byt/", views.association_switch, name="association_switch"),
    path("organisation/", include("finsam.organisation_urls")),
    path("ansokningar/", include("applications.urls")),
    path("budget/", include("budget.urls")),
    path("insatser/", include("followup.urls")),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/losenord/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "konto/losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
]
