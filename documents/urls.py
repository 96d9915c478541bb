from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("units/<int:pk>/documents/", views.IssuerListView.as_view(), name="issuer_list"),
    path("units/<int:pk>/issuers/new/", views.IssuerCreateView.as_view(), name="issuer_create"),
    path("issuers/<int:pk>/edit/", views.IssuerUpdateView.as_view(), name="issuer_update"),
    path(
        "units/<int:pk>/certificates/new/",
        views.CertificateUploadView.as_view(),
        name="certificate_upload",
    ),
    path(
        "certificates/<int:pk>/withdraw/",
        views.CertificateWithdrawView.as_view(),
        name="certificate_withdraw",
    ),
]
