from django.urls import path

from .views import answer, editor, results

urlpatterns = [
    # Members of the public: the invitation link, then pages tied to the session.
    path("survey/answer/check/", answer.check, name="surveys_check"),
    path("survey/answer/thanks/", answer.thanks, name="surveys_thanks"),
    path("survey/answer/<int:page>/", answer.page, name="surveys_page"),
    path("survey/<str:token>/", answer.link, name="surveys_link"),
    path("my-account/survey/", answer.account, name="surveys_account"),
    # Staff: results within their scope.
    path("staff/surveys/", results.results, name="surveys_results"),
    path("staff/surveys/export.csv", results.export_csv, name="surveys_export"),
    path("staff/surveys/comments/<str:code>/", results.comments, name="surveys_comments"),
    # Admins: the template editor.
    path("staff/surveys/templates/", editor.templates, name="surveys_templates"),
    path("staff/surveys/versions/<int:pk>/", editor.version, name="surveys_version"),
    path(
        "staff/surveys/versions/<int:pk>/questions/new/",
        editor.question_new,
        name="surveys_question_new",
    ),
    path("staff/surveys/versions/<int:pk>/publish/", editor.publish, name="surveys_publish"),
    path("staff/surveys/questions/<int:pk>/", editor.question_edit, name="surveys_question"),
    path(
        "staff/surveys/questions/<int:pk>/delete/",
        editor.question_delete,
        name="surveys_question_delete",
    ),
    path("staff/surveys/<int:pk>/draft/", editor.draft, name="surveys_draft"),
    path("staff/surveys/<int:pk>/activate/", editor.activate, name="surveys_activate"),
]
