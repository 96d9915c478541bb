from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/login/code/", views.LoginCodeView.as_view(), name="login_code"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-step/", views.TwoFactorView.as_view(), name="two_factor"),
    path("account/two-step/setup/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("account/two-step/qr.svg", views.TwoFactorQrView.as_view(), name="two_factor_qr"),
    path("account/two-step/off/", views.TwoFactorDisableView.as_view(), name="two_factor_disable"),
    path("account/", views.ProfileView.as_view(), name="profile"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("account/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "account/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_update"),
    path("users/<int:pk>/active/", views.UserSetActiveView.as_view(), name="user_set_active"),
    path(
        "users/<int:pk>/password-link/",
        views.UserPasswordLinkView.as_view(),
        name="user_password_link",
    ),
    path("users/<int:pk>/roles/", views.MembershipCreateView.as_view(), name="membership_create"),
    path("roles/<int:pk>/delete/", views.MembershipDeleteView.as_view(), name="membership_delete"),
]
