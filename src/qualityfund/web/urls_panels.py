from django.urls import path

from .views import panels, panels_expert, panels_pool, panels_vacancy

urlpatterns = [
    path("", panels.panel_list, name="panel-list"),
    path("new/", panels.panel_new, name="panel-new"),
    path("experts/", panels_pool.pool_list, name="panel-pool"),
    path("experts/import/", panels_pool.pool_import, name="panel-pool-import"),
    path("experts/export.xlsx", panels_pool.pool_export, name="panel-pool-export"),
    path("experts/<int:pk>/password/", panels_pool.expert_password,
         name="panel-expert-password"),
    path("experts/<int:pk>/availability/", panels_pool.expert_availability,
         name="panel-expert-availability"),
    path("<int:pk>/", panels.panel_detail, name="panel-detail"),
    path("<int:pk>/draw/", panels.panel_draw, name="panel-draw"),
    path("<int:pk>/replay/", panels.panel_replay, name="panel-replay"),
    path("<int:pk>/chair/", panels.panel_chair, name="panel-chair"),
    path("<int:pk>/vacancy/", panels_vacancy.panel_vacancy, name="panel-vacancy"),
    path("<int:pk>/clear/", panels_expert.panel_clear, name="panel-clear"),
    path("<int:pk>/ranking/", panels.panel_ranking, name="panel-ranking"),
    path("<int:pk>/finalise/", panels.panel_finalise, name="panel-finalise"),
    path("<int:pk>/report.<str:fmt>", panels.panel_report, name="panel-report"),
    path("<int:pk>/sheets/reopen/", panels_expert.sheet_reopen, name="panel-sheet-reopen"),
    path("<int:pk>/applications/<int:app_pk>/", panels_expert.sheet, name="panel-sheet"),
    path("<int:pk>/applications/<int:app_pk>/save/", panels_expert.sheet_save,
         name="panel-sheet-save"),
    path("<int:pk>/applications/<int:app_pk>/confirm/", panels_expert.sheet_confirm,
         name="panel-sheet-confirm"),
    path("<int:pk>/applications/<int:app_pk>/conflict/", panels_expert.conflict,
         name="panel-conflict"),
    path("<int:pk>/applications/<int:app_pk>/files/<int:file_pk>/",
         panels_expert.material_download, name="panel-material"),
]
