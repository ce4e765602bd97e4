from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from . import funding, identity_changes, panels, review
from .views import applications, auth, guides, materials, organisation

app_name = "api"

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("guides/", guides.GuideListView.as_view(), name="guide-list"),
    path("guides/<slug:slug>/", guides.GuideDetailView.as_view(), name="guide-detail"),
    path("guides/<slug:slug>/subprogrammes/", guides.SubprogrammeListView.as_view(),
         name="subprogramme-list"),
    path("guides/<slug:slug>/subprogrammes/<slug:key>/", guides.SubprogrammeDetailView.as_view(),
         name="subprogramme-detail"),
    path("organisation/", organisation.OrganisationView.as_view(), name="organisation"),
    path("organisation/identity-changes/", organisation.IdentityChangeListView.as_view(),
         name="organisation-identity-changes"),
    path("organisation/identity-changes/<int:pk>/withdraw/",
         organisation.IdentityChangeWithdrawView.as_view(),
         name="organisation-identity-change-withdraw"),
    path("applications/", applications.ApplicationListView.as_view(), name="application-list"),
    path("applications/<int:pk>/", applications.ApplicationDetailView.as_view(),
         name="application-detail"),
    path("applications/<int:pk>/self-check/", applications.SelfCheckView.as_view(),
         name="application-self-check"),
    path("applications/<int:pk>/submit/", applications.SubmitView.as_view(),
         name="application-submit"),
    path("applications/<int:pk>/withdraw/", applications.WithdrawView.as_view(),
         name="application-withdraw"),
    path("applications/<int:pk>/timeline/", applications.TimelineView.as_view(),
         name="application-timeline"),
    path("applications/<int:pk>/form.pdf", applications.FormPdfView.as_view(),
         name="application-form-pdf"),
    path("applications/<int:pk>/materials/", materials.MaterialListView.as_view(),
         name="material-list"),
    path("applications/<int:pk>/materials/<int:file_id>/", materials.MaterialDetailView.as_view(),
         name="material-detail"),
    path("applications/<int:pk>/materials/<int:file_id>/download",
         materials.MaterialDownloadView.as_view(), name="material-download"),
]

# Funding (issue 5): the plan simulation contract and the plans.
urlpatterns += [
    path("plan/simulate", funding.SimulateView.as_view(), name="plan-simulate"),
    path("funding/plans/", funding.PlanListView.as_view(), name="funding-plan-list"),
]

# Expert panels (issue 4).
urlpatterns += [
    path("panels/", panels.PanelListView.as_view(), name="panel-list"),
    path("panels/<int:pk>/ranking/", panels.RankingView.as_view(), name="panel-ranking"),
    path("panels/<int:pk>/assignments/", panels.AssignmentsView.as_view(),
         name="panel-assignments"),
    path("panels/<int:pk>/applications/<int:application_id>/sheet/",
         panels.SheetView.as_view(), name="panel-sheet"),
    path("panels/<int:pk>/applications/<int:application_id>/sheet/confirm/",
         panels.ConfirmView.as_view(), name="panel-sheet-confirm"),
]

# Formal review and supplementation (issue 3).
urlpatterns += [
    path("review/queue/", review.QueueView.as_view(), name="review-queue"),
    path("review/refusal-reasons/", review.RefusalReasonsView.as_view(),
         name="review-refusal-reasons"),
    path("review/applications/<int:pk>/accept/", review.AcceptView.as_view(),
         name="review-accept"),
    path("review/applications/<int:pk>/refuse/", review.RefuseView.as_view(),
         name="review-refuse"),
    path("review/applications/<int:pk>/supplementation/",
         review.SupplementationRequestView.as_view(), name="review-supplement"),
    path("review/applications/<int:pk>/recheck/", review.RecheckView.as_view(),
         name="review-recheck"),
    path("review/applications/<int:pk>/verification/", review.VerifyView.as_view(),
         name="review-verify"),
    path("applications/<int:pk>/supplementations/", review.SupplementationListView.as_view(),
         name="application-supplementations"),
    path("applications/<int:pk>/resubmit/", review.ResubmitView.as_view(),
         name="application-resubmit"),
]

# 身份信息变更 for bureau staff (issue 9).
urlpatterns += [
    path("identity-changes/", identity_changes.IdentityChangeListView.as_view(),
         name="review-identity-changes"),
    path("identity-changes/<int:pk>/approve/", identity_changes.ApproveView.as_view(),
         name="review-identity-change-approve"),
    path("identity-changes/<int:pk>/refuse/", identity_changes.RefuseView.as_view(),
         name="review-identity-change-refuse"),
]
