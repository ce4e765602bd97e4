"""/funding/: checks, plans, notice, payment. Bureau pages need a bureau role; the public
notice (/funding/notice/<guide>/) and its objection form need no log-in."""

from django.urls import path

from .views import funding, funding_payments, funding_plans, funding_public

urlpatterns = [
    path("", funding.home, name="funding-home"),
    path("checks/", funding.check_list, name="funding-checks"),
    path("checks/run/", funding.run_year_checks, name="funding-checks-run"),
    path("checks/<int:pk>/decide/", funding.decide_check, name="funding-check-decide"),
    path("applications/<int:pk>/checks/", funding.application_checks,
         name="funding-application-checks"),
    path("applications/<int:pk>/checks/run/", funding.run_checks,
         name="funding-application-run-checks"),
    path("applications/<int:pk>/clear/", funding.clear_application,
         name="funding-application-clear"),
    path("lists/", funding.lists, name="funding-lists"),
    path("lists/import/", funding.import_list, name="funding-list-import"),
    path("lists/earlier/", funding.import_earlier, name="funding-earlier-import"),
    path("plans/", funding_plans.plan_list, name="funding-plans"),
    path("plans/draft/", funding_plans.draft_plan, name="funding-plan-draft"),
    path("plans/whatif/", funding_plans.whatif, name="funding-whatif"),
    path("plans/<int:pk>/", funding_plans.plan_detail, name="funding-plan"),
    path("plans/<int:pk>/consult/", funding_plans.consult, name="funding-plan-consult"),
    path("plans/<int:pk>/decide/", funding_plans.decide, name="funding-plan-decide"),
    path("plans/<int:pk>/minutes/", funding_plans.minutes, name="funding-plan-minutes"),
    path("plans/<int:pk>/notice/", funding_plans.publish_notice, name="funding-plan-notice"),
    path("plans/<int:pk>/final/", funding_plans.finalise, name="funding-plan-final"),
    path("plans/<int:pk>/final.pdf", funding_plans.final_pdf, name="funding-plan-final-pdf"),
    path("plans/<int:pk>/final.xlsx", funding_plans.final_xlsx,
         name="funding-plan-final-xlsx"),
    path("items/<int:pk>/adjust/", funding_plans.adjust_item, name="funding-item-adjust"),
    path("consultations/<int:pk>/opinion/", funding_plans.record_opinion,
         name="funding-consultation-opinion"),
    path("objections/<int:pk>/answer/", funding_plans.answer_objection,
         name="funding-objection-answer"),
    path("objections/<int:pk>/scan/", funding_plans.objection_scan,
         name="funding-objection-scan"),
    path("payments/", funding_payments.payments, name="funding-payments"),
    path("payments/batches/new/", funding_payments.create_batch, name="funding-batch-create"),
    path("payments/batches/<int:pk>/", funding_payments.batch_detail, name="funding-batch"),
    path("payments/<int:pk>/paid/", funding_payments.mark_paid, name="funding-payment-paid"),
    path("payments/<int:pk>/failed/", funding_payments.mark_failed,
         name="funding-payment-failed"),
    path("notice/<slug:slug>/", funding_public.notice, name="funding-notice"),
    path("notice/<slug:slug>/objection/", funding_public.objection, name="funding-objection"),
]
