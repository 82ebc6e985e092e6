from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import login_views, otp_views
from accounts.login_forms import BoundedPasswordResetForm

urlpatterns = [
    path("logga-in/", login_views.PasswordLoginView.as_view(), name="login"),
    path("logga-in/kod/", login_views.login_code, name="login_code"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/",
        auth_views.PasswordResetView.as_view(form_class=BoundedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("tvastegsverifiering/", otp_views.overview, name="second_factor"),
    path("tvastegsverifiering/koppla/", otp_views.enrol, name="second_factor_enrol"),
    path("tvastegsverifiering/koppla/qr.svg", otp_views.qr_code, name="second_factor_qr"),
    path(
        "tvastegsverifiering/reservkoder/",
        otp_views.recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path("tvastegsverifiering/ta-bort/", otp_views.remove, name="second_factor_remove"),
]
