from django.urls import path

from campaigns import views

app_name = "campaigns"

P = "campaigns/<int:pk>/"

urlpatterns = [
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/import/", views.CampaignImportView.as_view(), name="campaign_import"),
    path(P, views.CampaignDetailView.as_view(), name="campaign_detail"),
    path(P + "edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path(P + "bases/", views.BasesView.as_view(), name="legal_basis_list"),
    path(P + "themes/", views.ThemeListView.as_view(), name="theme_list"),
    path(P + "sections/", views.SectionListView.as_view(), name="section_list"),
    path(P + "sections/<int:section_pk>/", views.SectionUpdateView.as_view(), name="section_update"),
    path(P + "rounds/", views.RoundListView.as_view(), name="round_list"),
    path(
        P + "rounds/<int:round_pk>/commemorations/",
        views.CommemorationView.as_view(),
        name="commemoration_list",
    ),
    path(P + "targets/", views.TargetGroupListView.as_view(), name="target_group_list"),
    path(
        P + "targets/<int:group_pk>/",
        views.TargetGroupUpdateView.as_view(),
        name="target_group_update",
    ),
    path(P + "tasks/", views.TaskListView.as_view(), name="task_list"),
    path(P + "deadlines/", views.DeadlineListView.as_view(), name="deadline_list"),
    path(P + "recipients/", views.RecipientListView.as_view(), name="recipient_list"),
    path(P + "publish/", views.CampaignPublishView.as_view(), name="campaign_publish"),
    path(P + "amend/", views.CampaignAmendView.as_view(), name="campaign_amend"),
    path(
        P + "amend/publish/",
        views.CampaignAmendmentPublishView.as_view(),
        name="campaign_amendment_publish",
    ),
    path(P + "close/", views.CampaignCloseView.as_view(), name="campaign_close"),
    path(P + "clone/", views.CampaignCloneView.as_view(), name="campaign_clone"),
    path(P + "delete/", views.CampaignDeleteView.as_view(), name="campaign_delete"),
    path(P + "document.pdf", views.CampaignPdfView.as_view(), name="campaign_pdf"),
    path(P + "versions/<int:number>/", views.CampaignVersionView.as_view(), name="campaign_version"),
    path(P + "export.json", views.CampaignExportView.as_view(), name="campaign_export"),
    path(P + "sign/", views.CampaignSignView.as_view(), name="campaign_sign"),
    path(
        P + "signed/<int:document_pk>/",
        views.SignedDocumentDownloadView.as_view(),
        name="signed_document",
    ),
]
