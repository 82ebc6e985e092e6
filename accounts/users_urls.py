from django.urls import path

from accounts import users_views

app_name = "accounts"

urlpatterns = [
    path("", users_views.users, name="users"),
    path("bjud-in/", users_views.invite, name="invite"),
    path("<int:pk>/andra/", users_views.role_change, name="role_change"),
    path("<int:pk>/ta-bort/", users_views.role_remove, name="role_remove"),
    path("<int:pk>/ny-lank/", users_views.invitation_resend, name="invitation_resend"),
]
