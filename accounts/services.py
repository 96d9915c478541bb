"""Account writes: creating users inside one's subtree, editing, deactivating, invitations."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import save_as
from core.concurrency import lock_current
from core.exceptions import DomainError
from organizations.access import Cap, can, reach
from organizations.services import assign_role

USER_FIELDS = ("full_name", "email", "phone")


def managed_users(actor):
    """Users who hold a role somewhere in the actor's user-management reach."""
    if actor.is_superuser:
        return User.objects.all()
    return User.objects.filter(memberships__organization__in=reach(actor, Cap.MANAGE_USERS)).distinct()


def can_manage_user(actor, user):
    """Staff may edit an account only when every role it holds lies in their reach,
    so that nobody can take over an account that has rights elsewhere."""
    if actor.is_superuser:
        return True
    if user.is_superuser or user.pk == actor.pk:
        return False
    unit_ids = list(user.memberships.values_list("organization_id", flat=True))
    if not unit_ids:
        return False
    return reach(actor, Cap.MANAGE_USERS).filter(pk__in=unit_ids).count() == len(set(unit_ids))


def _check_unique(*, username=None, email=None, exclude_pk=None):
    others = User.objects.exclude(pk=exclude_pk)
    if username and others.filter(username__iexact=username).exists():
        raise DomainError(_("This user name is taken."), field="username")
    if email and others.filter(email__iexact=email).exists():
        raise DomainError(_("Another account uses this e-mail address."), field="email")


@transaction.atomic
def create_user(*, actor, data, organization, role, position="", password=None, request=None):
    """Create an account with a role in ``organization``.

    Without a password the account gets an e-mail with a link to choose one.
    """
    if not can(actor, Cap.MANAGE_USERS, organization):
        raise DomainError(_("You cannot add users to “%(unit)s”.") % {"unit": organization}, field="organization")
    _check_unique(username=data["username"], email=data.get("email"))
    user = User(username=data["username"], **{k: data.get(k, "") for k in USER_FIELDS})
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    save_as(user, actor)
    assign_role(actor=actor, user=user, organization=organization, role=role, position=position)
    if not password and user.email:
        transaction.on_commit(lambda: send_password_link(user, request=request))
    return user


@transaction.atomic
def update_user(user, *, actor, data, expected_version):
    if not can_manage_user(actor, user) and actor.pk != user.pk:
        raise DomainError(_("You cannot edit this account."))
    current = lock_current(User, user, expected_version)
    _check_unique(email=data.get("email"), exclude_pk=current.pk)
    for field in USER_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.version += 1
    return save_as(current, actor)


@transaction.atomic
def set_user_active(user, *, actor, active):
    if not can_manage_user(actor, user):
        raise DomainError(_("You cannot change this account."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.version += 1
    return save_as(user, actor, reason=_("Account enabled") if active else _("Account disabled"))


def send_password_link(user, *, request=None):
    """E-mail ``user`` a one-time link to choose a password (the reset mechanism)."""
    if not user.email:
        raise DomainError(_("This account has no e-mail address."))
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    base = request.build_absolute_uri("/")[:-1] if request else "http://127.0.0.1:8000"
    context = {"user": user, "link": base + path}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [user.email])


def units_for_roles(actor):
    """Units where the actor may grant roles (active ones)."""
    return reach(actor, Cap.MANAGE_USERS).filter(is_active=True)
