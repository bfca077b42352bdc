from django.urls import include, path

from .views import inbox, items, public

urlpatterns = [
    path("wards/<str:code>/", public.ward_public, name="engagement_ward_public"),
    path("staff/said-did/", items.item_list, name="engagement_items"),
    path("staff/said-did/new/", items.item_new, name="engagement_item_new"),
    path("staff/said-did/<int:pk>/", items.item_detail, name="engagement_item"),
    path("staff/said-did/<int:pk>/edit/", items.item_edit, name="engagement_item_edit"),
    path("staff/said-did/<int:pk>/status/", items.item_move, name="engagement_item_move"),
    path("staff/said-did/<int:pk>/send/", items.item_send, name="engagement_item_send"),
    path("staff/teams/ward/<str:code>/", items.ward_team, name="engagement_ward_team"),
    path(
        "staff/teams/ward/<str:code>/members/",
        items.team_member_add,
        name="engagement_team_member_add",
    ),
    path(
        "staff/teams/ward/<str:code>/members/<int:pk>/remove/",
        items.team_member_remove,
        name="engagement_team_member_remove",
    ),
    path("staff/teams/profile/", items.profile_edit, name="engagement_profile"),
    path("staff/inbox/", inbox.inbox_home, name="engagement_inbox"),
    path("staff/inbox/team/<int:pk>/", inbox.team_inbox, name="engagement_team_inbox"),
    path("staff/inbox/reply/<int:pk>/", inbox.inbox_entry, name="engagement_inbox_entry"),
    path("staff/inbox/reply/<int:pk>/assign/", inbox.inbox_assign, name="engagement_inbox_assign"),
    path("staff/inbox/reply/<int:pk>/handled/", inbox.inbox_handle, name="engagement_inbox_handle"),
    path("staff/inbox/reply/<int:pk>/answer/", inbox.inbox_answer, name="engagement_inbox_answer"),
    path("staff/inbox/trigger-words/", inbox.trigger_words, name="engagement_trigger_words"),
    path(
        "staff/inbox/trigger-words/<int:pk>/delete/",
        inbox.trigger_word_delete,
        name="engagement_trigger_word_delete",
    ),
    # Engagement events and street contacts (insight): engagement/events/.
    path("", include("engagement.events.urls")),
]
