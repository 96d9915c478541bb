"""User accounts. Roles live on ``organizations.Membership``, not here."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.models import audited


class UserQuerySet(models.QuerySet):
    def in_units(self, organizations):
        """Users with a role in any of ``organizations`` (a queryset of units)."""
        return self.filter(memberships__organization__in=organizations).distinct()


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. Vietnamese names are kept whole in ``full_name``."""

    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PortalUserManager()
    history = audited(excluded_fields=["password", "last_login"])

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username

    def save(self, *args, **kwargs):
        # Empty e-mails are stored as NULL so that uniqueness ignores them.
        self.email = (self.email or "").strip().lower() or None
        super().save(*args, **kwargs)
