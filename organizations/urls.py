from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("units/", views.OrganizationListView.as_view(), name="organization_list"),
    path("units/lookup/", views.OrganizationLookupView.as_view(), name="organization_lookup"),
    path(
        "units/import/template.xlsx",
        views.OrganizationImportTemplateView.as_view(),
        name="organization_import_template",
    ),
    path("units/<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path(
        "units/<int:pk>/children/",
        views.OrganizationChildrenView.as_view(),
        name="organization_children",
    ),
    path(
        "units/<int:pk>/history/",
        views.OrganizationHistoryView.as_view(),
        name="organization_history",
    ),
    path("units/<int:pk>/new/", views.OrganizationCreateView.as_view(), name="organization_create"),
    path("units/<int:pk>/edit/", views.OrganizationUpdateView.as_view(), name="organization_update"),
    path("units/<int:pk>/move/", views.OrganizationMoveView.as_view(), name="organization_move"),
    path("units/<int:pk>/merge/", views.OrganizationMergeView.as_view(), name="organization_merge"),
    path(
        "units/<int:pk>/end/",
        views.OrganizationDeactivateView.as_view(),
        name="organization_deactivate",
    ),
    path(
        "units/<int:pk>/reactivate/",
        views.OrganizationReactivateView.as_view(),
        name="organization_reactivate",
    ),
    path(
        "units/<int:pk>/export.xlsx",
        views.OrganizationExportView.as_view(),
        name="organization_export",
    ),
    path("units/<int:pk>/import/", views.OrganizationImportView.as_view(), name="organization_import"),
    path("units/<int:pk>/clusters/new/", views.ClusterCreateView.as_view(), name="cluster_create"),
    path("clusters/", views.ClusterListView.as_view(), name="cluster_list"),
    path("clusters/<int:pk>/", views.ClusterDetailView.as_view(), name="cluster_detail"),
    path("clusters/<int:pk>/edit/", views.ClusterUpdateView.as_view(), name="cluster_update"),
    path(
        "clusters/<int:pk>/members/",
        views.ClusterMemberSaveView.as_view(),
        name="cluster_member_save",
    ),
    path(
        "clusters/<int:pk>/members/<int:member_pk>/delete/",
        views.ClusterMemberDeleteView.as_view(),
        name="cluster_member_delete",
    ),
    path("clusters/<int:pk>/copy/", views.ClusterCopyView.as_view(), name="cluster_copy"),
]
