from django.urls import path

app_name = "followup"
urlpatterns: list = [
    path("", lambda request: None, name="index"),
]
