"""Local passwords, refused for all but break-glass administrators when NORAMAL_LOCAL_LOGIN is off.

Every password check goes through here (the login page, the admin's login, a password change), so the
switch holds everywhere. Sign-ins through the identity provider do not check a password.
"""

from django.contrib.auth.backends import ModelBackend

from .policy import may_use_password


class LocalPasswordBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not may_use_password(user):
            return None
        return user
