from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("cases/<str:number>/", views.case_documents, name="case"),
    path("cases/<str:number>/checklist.pdf", views.checklist_pdf, name="checklist_pdf"),
    path("cases/<str:number>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("notices/<str:notice_number>.pdf", views.notice_pdf, name="notice_pdf"),
    path("notices/<str:notice_number>/", views.notice_page, name="notice_page"),
]
