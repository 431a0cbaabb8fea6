from django.conf import settings

from structure.selectors import roles_of


def portal(request) -> dict:
    return {
        "college_short_name": settings.COLLEGE_SHORT_NAME,
        "my_roles": roles_of(getattr(request, "user", None)),
    }
