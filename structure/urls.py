app_name = "structure"
urlpatterns: list = []
