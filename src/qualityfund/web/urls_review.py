"""Formal review (/review/): the officer's queue and pages, previews, notifications."""

from django.urls import path

from .views import identity_changes, review, review_actions, review_files, review_notifications

urlpatterns = [
    path("", review.queue, name="review-queue"),
    path("applications/<int:pk>/", review.application_detail, name="review-application"),
    path("applications/<int:pk>/accept/", review_actions.accept, name="review-accept"),
    path("applications/<int:pk>/refuse/", review_actions.refuse, name="review-refuse"),
    path("applications/<int:pk>/supplementation/", review_actions.supplement,
         name="review-supplement"),
    path("applications/<int:pk>/recheck/", review_actions.recheck, name="review-recheck"),
    path("applications/<int:pk>/verification/", review_actions.verify, name="review-verify"),
    path("applications/<int:pk>/files/<int:file_pk>/preview/", review_files.preview,
         name="review-preview"),
    path("notifications/", review_notifications.notification_list, name="notification-list"),
    path("identity-changes/", identity_changes.change_list, name="review-identity-changes"),
    path("identity-changes/<int:pk>/", identity_changes.change_detail,
         name="review-identity-change"),
    path("identity-changes/<int:pk>/decide/", identity_changes.decide,
         name="review-identity-change-decide"),
]
