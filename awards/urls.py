from django.urls import path

from awards.models import Absence, Discipline, Honour, Rating
from awards.views import catalogue as catalogue_views
from awards.views import clusters as cluster_views
from awards.views import councils as council_views
from awards.views import decisions as decision_views
from awards.views import disclosure as disclosure_views
from awards.views import history as history_views
from awards.views import nominations as nomination_views

app_name = "awards"

# Each concept keeps its own block; names follow <model>_<action>.
urlpatterns = []

# --- catalogue, people and history

urlpatterns += [
    path("awards/", catalogue_views.AwardsIndexView.as_view(), name="index"),
    path("catalogue/", catalogue_views.CatalogueListView.as_view(), name="catalogue_list"),
    path("catalogue/<slug:kind>/<int:pk>/", catalogue_views.EntryDetailView.as_view(), name="entry_detail"),
    path("catalogue/<slug:kind>/<int:pk>/edit/", catalogue_views.EntryUpdateView.as_view(), name="entry_update"),
    path(
        "catalogue/<slug:kind>/<int:pk>/criteria/new/",
        catalogue_views.CriterionCreateView.as_view(),
        name="criterion_create",
    ),
    path("criteria/<int:pk>/edit/", catalogue_views.CriterionUpdateView.as_view(), name="criterion_update"),
    path("criteria/<int:pk>/end/", catalogue_views.CriterionEndView.as_view(), name="criterion_end"),
    path("quotas/", catalogue_views.QuotaListView.as_view(), name="quota_list"),
    path("units/<int:pk>/quotas/new/", catalogue_views.QuotaCreateView.as_view(), name="quota_create"),
    path("quotas/<int:pk>/edit/", catalogue_views.QuotaUpdateView.as_view(), name="quota_update"),
    path("quotas/<int:pk>/delete/", catalogue_views.QuotaDeleteView.as_view(), name="quota_delete"),
    path("base-salaries/", catalogue_views.BaseSalaryListView.as_view(), name="base_salary_list"),
    path("base-salaries/new/", catalogue_views.BaseSalaryCreateView.as_view(), name="base_salary_create"),
    path("units/<int:pk>/people/", history_views.PersonListView.as_view(), name="person_list"),
    path("units/<int:pk>/people/new/", history_views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", history_views.PersonHistoryView.as_view(), name="person_history"),
    path("people/<int:pk>/edit/", history_views.PersonUpdateView.as_view(), name="person_update"),
    path("people/<int:pk>/ratings/new/", history_views.RecordCreateView.as_view(record="rating"), name="rating_create"),
    path(
        "people/<int:pk>/discipline/new/",
        history_views.RecordCreateView.as_view(record="discipline"),
        name="discipline_create",
    ),
    path(
        "people/<int:pk>/absences/new/", history_views.RecordCreateView.as_view(record="absence"), name="absence_create"
    ),
    path("people/<int:pk>/honours/new/", history_views.RecordCreateView.as_view(record="honour"), name="honour_create"),
    path("units/<int:pk>/achievements/", history_views.UnitHistoryView.as_view(), name="unit_history"),
    path(
        "units/<int:pk>/ratings/new/",
        history_views.RecordCreateView.as_view(record="rating", collective=True),
        name="unit_rating_create",
    ),
    path(
        "units/<int:pk>/honours/new/",
        history_views.RecordCreateView.as_view(record="honour", collective=True),
        name="unit_honour_create",
    ),
    path("ratings/<int:pk>/delete/", history_views.RecordDeleteView.as_view(model=Rating), name="rating_delete"),
    path(
        "discipline/<int:pk>/delete/",
        history_views.RecordDeleteView.as_view(model=Discipline),
        name="discipline_delete",
    ),
    path("absences/<int:pk>/delete/", history_views.RecordDeleteView.as_view(model=Absence), name="absence_delete"),
    path("honours/<int:pk>/delete/", history_views.RecordDeleteView.as_view(model=Honour), name="honour_delete"),
    path("history/import/", history_views.HistoryImportView.as_view(), name="history_import"),
    path(
        "history/import/template.xlsx",
        history_views.HistoryImportTemplateView.as_view(),
        name="history_import_template",
    ),
]

# --- nominations and proposals

NOMINATION = "nominations/<int:pk>/"
urlpatterns += [
    path("nominations/", nomination_views.NominationListView.as_view(), name="nomination_list"),
    path("nominations/forward/", nomination_views.NominationBulkForwardView.as_view(), name="nomination_forward_bulk"),
    path("units/<int:pk>/nominations/new/", nomination_views.NominationCreateView.as_view(), name="nomination_create"),
    path(NOMINATION, nomination_views.NominationDetailView.as_view(), name="nomination_detail"),
    path(NOMINATION + "edit/", nomination_views.NominationUpdateView.as_view(), name="nomination_update"),
    path(NOMINATION + "submit/", nomination_views.NominationSubmitView.as_view(), name="nomination_submit"),
    path(NOMINATION + "delete/", nomination_views.NominationDeleteView.as_view(), name="nomination_delete"),
    path(NOMINATION + "check/", nomination_views.NominationCheckView.as_view(), name="nomination_check"),
    path(NOMINATION + "forward/", nomination_views.NominationForwardView.as_view(), name="nomination_forward"),
    path(NOMINATION + "accept/", nomination_views.NominationAcceptView.as_view(), name="nomination_accept"),
    path(NOMINATION + "return/", nomination_views.NominationReturnView.as_view(), name="nomination_return"),
    path(NOMINATION + "evidence/", nomination_views.EvidenceUploadView.as_view(), name="nomination_evidence_upload"),
    path(
        NOMINATION + "evidence/<int:evidence_pk>/",
        nomination_views.EvidenceDownloadView.as_view(),
        name="nomination_evidence_download",
    ),
    path(
        NOMINATION + "evidence/<int:evidence_pk>/delete/",
        nomination_views.EvidenceDeleteView.as_view(),
        name="nomination_evidence_delete",
    ),
    path("proposals/<int:pk>/", nomination_views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/proposal.pdf", nomination_views.ProposalPdfView.as_view(), name="proposal_pdf"),
]

# --- councils, meetings, ballots, minutes; disclosure and objections

urlpatterns += [
    path("councils/", council_views.CouncilListView.as_view(), name="council_list"),
    path("councils/new/", council_views.CouncilCreateView.as_view(), name="council_create"),
    path("councils/<int:pk>/", council_views.CouncilDetailView.as_view(), name="council_detail"),
    path("councils/<int:pk>/members/new/", council_views.CouncilMemberAddView.as_view(), name="council_member_add"),
    path(
        "councils/<int:pk>/members/<int:member_pk>/remove/",
        council_views.CouncilMemberRemoveView.as_view(),
        name="council_member_remove",
    ),
    path("councils/<int:pk>/meetings/new/", council_views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", council_views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/agenda/", council_views.MeetingAgendaView.as_view(), name="meeting_agenda"),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/remove/",
        council_views.MeetingItemRemoveView.as_view(),
        name="meeting_item_remove",
    ),
    path("meetings/<int:pk>/open/", council_views.MeetingOpenView.as_view(), name="meeting_open"),
    path("meetings/<int:pk>/rounds/open/", council_views.MeetingRoundOpenView.as_view(), name="meeting_round_open"),
    path("meetings/<int:pk>/rounds/close/", council_views.MeetingRoundCloseView.as_view(), name="meeting_round_close"),
    path("meetings/<int:pk>/close/", council_views.MeetingCloseView.as_view(), name="meeting_close"),
    path("meetings/<int:pk>/ballot/", council_views.MeetingBallotView.as_view(), name="meeting_ballot"),
    path("meetings/<int:pk>/ballots/", council_views.MeetingBallotsView.as_view(), name="meeting_ballots"),
    path("meetings/<int:pk>/minutes.pdf", council_views.MeetingMinutesView.as_view(), name="meeting_minutes"),
    path(
        "meetings/<int:pk>/disclosure/new/", disclosure_views.DisclosureCreateView.as_view(), name="disclosure_create"
    ),
    path("disclosures/", disclosure_views.DisclosureListView.as_view(), name="disclosure_list"),
    path("disclosures/<int:pk>/", disclosure_views.DisclosureDetailView.as_view(), name="disclosure_detail"),
    path(
        "disclosures/<int:pk>/nominations/<int:nomination_pk>/objection/",
        disclosure_views.ObjectionCreateView.as_view(),
        name="objection_create",
    ),
    path("objections/<int:pk>/resolve/", disclosure_views.ObjectionResolveView.as_view(), name="objection_resolve"),
]

# --- decisions and certificates

DECISION = "decisions/<int:pk>/"
urlpatterns += [
    path("decisions/", decision_views.DecisionListView.as_view(), name="decision_list"),
    path("units/<int:pk>/decisions/new/", decision_views.DecisionCreateView.as_view(), name="decision_create"),
    path(
        "units/<int:pk>/decisions/issuer/",
        decision_views.DecisionIssuerCreateView.as_view(),
        name="decision_issuer_create",
    ),
    path(DECISION, decision_views.DecisionDetailView.as_view(), name="decision_detail"),
    path(DECISION + "edit/", decision_views.DecisionUpdateView.as_view(), name="decision_update"),
    path(DECISION + "issue/", decision_views.DecisionIssueView.as_view(), name="decision_issue"),
    path(DECISION + "sign/", decision_views.DecisionSignView.as_view(), name="decision_sign"),
    path(DECISION + "revoke/", decision_views.DecisionRevokeView.as_view(), name="decision_revoke"),
    path(DECISION + "decision.pdf", decision_views.DecisionPdfView.as_view(), name="decision_pdf"),
    path(DECISION + "signed/<int:document_pk>/", decision_views.DecisionSignedView.as_view(), name="decision_signed"),
    path(DECISION + "list.xlsx", decision_views.DecisionExportView.as_view(), name="decision_export"),
    path(DECISION + "certificates/", decision_views.DecisionCertificatesView.as_view(), name="decision_certificates"),
    path(
        DECISION + "certificates.pdf",
        decision_views.DecisionCertificatePdfView.as_view(),
        name="decision_certificates_pdf",
    ),
    path(
        DECISION + "certificates/<int:entry_pk>.pdf",
        decision_views.DecisionCertificatePdfView.as_view(),
        name="decision_certificate_pdf",
    ),
]

# --- cluster covenants, scoring and acclaim

urlpatterns += [
    path("covenants/", cluster_views.CovenantListView.as_view(), name="covenant_list"),
    path("clusters/<int:pk>/covenants/new/", cluster_views.CovenantCreateView.as_view(), name="covenant_create"),
    path("covenants/<int:pk>/", cluster_views.CovenantDetailView.as_view(), name="covenant_detail"),
    path("covenants/<int:pk>/edit/", cluster_views.CovenantUpdateView.as_view(), name="covenant_update"),
    path("covenants/<int:pk>/delete/", cluster_views.CovenantDeleteView.as_view(), name="covenant_delete"),
    path("covenants/<int:pk>/sign/", cluster_views.CovenantSignView.as_view(), name="covenant_sign"),
    path("covenants/<int:pk>/close/", cluster_views.CovenantCloseView.as_view(), name="covenant_close"),
    path("covenants/<int:pk>/reopen/", cluster_views.CovenantReopenView.as_view(), name="covenant_reopen"),
    path(
        "covenants/<int:pk>/cards/<int:scorer_pk>/<int:unit_pk>/",
        cluster_views.ScorecardView.as_view(),
        name="scorecard_edit",
    ),
    path("covenants/<int:pk>/ranking/", cluster_views.RankingView.as_view(), name="covenant_ranking"),
    path("covenants/<int:pk>/ranking.xlsx", cluster_views.RankingExportView.as_view(), name="covenant_ranking_export"),
    path("covenants/<int:pk>/acclaim/", cluster_views.AcclaimDetailView.as_view(), name="acclaim_detail"),
    path("covenants/<int:pk>/acclaim/open/", cluster_views.AcclaimOpenView.as_view(), name="acclaim_open"),
    path(
        "covenants/<int:pk>/acclaim/ballots/<int:unit_pk>/",
        cluster_views.AcclaimVoteView.as_view(),
        name="acclaim_vote",
    ),
    path("covenants/<int:pk>/acclaim/close/", cluster_views.AcclaimCloseView.as_view(), name="acclaim_close"),
]
