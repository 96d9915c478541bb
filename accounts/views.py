"""Sign-in, own account, and user management inside the staff's subtree."""

import time

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import security, services, two_factor
from accounts.forms import OtpCodeForm, UserCreateForm, UserFilterForm, UserUpdateForm
from accounts.models import User
from core.audit import history_entries
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.mixins import ConflictMixin
from organizations.access import Cap, can, units_with
from organizations.forms import MembershipForm
from organizations.models import Membership, Organization
from organizations.services import assign_role, revoke_role

# How long the code step waits after the password step (seconds).
PENDING_MAX_AGE = 5 * 60
# The secret of an authenticator app being set up, until its first code confirms it.
SETUP_KEY_SESSION_KEY = "accounts_two_factor_key"


class LoginView(auth_views.LoginView):
    """The password step. A user with two-step sign-in is not signed in yet: the code step follows."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.is_on(user):
            return super().form_valid(form)
        self.request.session[security.PENDING_SESSION_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("accounts:login_code")


@method_decorator(never_cache, name="dispatch")
class LoginCodeView(FormView):
    """The code step of two-step sign-in: an app code or a recovery code.

    Wrong codes count as failed sign-ins for axes, so the code cannot be guessed faster than
    the password.
    """

    template_name = "accounts/login_code.html"
    form_class = OtpCodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        pending = request.session.get(security.PENDING_SESSION_KEY)
        self.pending_user = None
        if pending and time.time() - pending.get("at", 0) <= PENDING_MAX_AGE:
            self.pending_user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
        if self.pending_user is None:
            if pending:
                request.session.pop(security.PENDING_SESSION_KEY, None)
                messages.info(request, _("The sign-in took too long. Please sign in again."))
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        request, user = self.request, self.pending_user
        credentials = {"username": user.get_username()}
        if settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, credentials):
            return security.lockout_response(request, None, credentials)
        device = two_factor.verify_code(user, form.cleaned_data["otp_token"])
        if device is None:
            # Axes counts it; at the limit its middleware answers with the lockout page instead.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("otp_token", _("The code is not correct or has expired. Wait a few seconds and try again."))
            return self.form_invalid(form)
        pending = request.session.pop(security.PENDING_SESSION_KEY)
        login(request, user, backend=pending["backend"])
        django_otp.login(request, device)
        if isinstance(device, StaticDevice):
            left = two_factor.recovery_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code; %(count)d code is left. "
                    "Set up the app again to get new codes.",
                    "You signed in with a recovery code; %(count)d codes are left. "
                    "Set up the app again to get new codes.",
                    left,
                )
                % {"count": left},
            )
        return redirect(pending["next"])


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ProfileView(LoginRequiredMixin, FormView):
    """The signed-in user's own account: details, roles, and a form to update them."""

    template_name = "accounts/profile.html"
    form_class = UserUpdateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.user}

    def get_context_data(self, **kwargs):
        memberships = self.request.user.memberships.select_related("organization__kind")
        return super().get_context_data(
            memberships=memberships, two_factor_on=two_factor.is_on(self.request.user), **kwargs
        )

    def form_valid(self, form):
        try:
            services.update_user(
                self.request.user,
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your account was updated."))
        return redirect("accounts:profile")


class TwoFactorView(LoginRequiredMixin, TemplateView):
    """Whether two-step sign-in is on, how many recovery codes are left, and how to turn it off."""

    template_name = "accounts/two_factor.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            is_on=two_factor.is_on(user),
            required=two_factor.required_for(user),
            codes_left=two_factor.recovery_codes_left(user),
            form=OtpCodeForm(),
            **kwargs,
        )


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """Scan a QR code (or type the secret), confirm with a code, receive ten recovery codes once.

    Setting up again replaces the app and the codes; that needs a session that passed the
    code step, or a stolen password alone could swap in the thief's phone.
    """

    template_name = "accounts/two_factor_setup.html"
    form_class = OtpCodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and two_factor.is_on(request.user) and not request.user.is_verified():
            logout(request)
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "recovery": False}

    def get_context_data(self, **kwargs):
        session = self.request.session
        if not session.get(SETUP_KEY_SESSION_KEY):
            session[SETUP_KEY_SESSION_KEY] = two_factor.new_key()
        return super().get_context_data(
            secret=two_factor.secret_for_display(session[SETUP_KEY_SESSION_KEY]),
            replacing=two_factor.is_on(self.request.user),
            required=two_factor.required_for(self.request.user),
            next=_safe_next(self.request, ""),
            **kwargs,
        )

    def form_valid(self, form):
        request = self.request
        key = request.session.get(SETUP_KEY_SESSION_KEY)
        if not key:
            messages.error(request, _("The setup page had expired. Scan the new QR code and enter its code."))
            return redirect("accounts:two_factor_setup")
        try:
            device, codes = two_factor.enable_two_factor(request.user, key=key, token=form.cleaned_data["otp_token"])
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        del request.session[SETUP_KEY_SESSION_KEY]
        django_otp.login(request, device)
        # Shown in this answer only: the codes are not kept anywhere the user could reopen them.
        response = render(
            request,
            "accounts/two_factor_codes.html",
            {"codes": codes, "next": _safe_next(request, reverse("accounts:two_factor"))},
        )
        add_never_cache_headers(response)
        return response


class TwoFactorQrView(LoginRequiredMixin, View):
    """The QR code of the app being set up, as SVG drawn by the portal (the CSP allows only our images)."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        key = request.session.get(SETUP_KEY_SESSION_KEY)
        if not key:
            raise Http404
        response = HttpResponse(
            two_factor.qr_svg(two_factor.config_url(request.user, key)), content_type="image/svg+xml"
        )
        add_never_cache_headers(response)
        return response


class TwoFactorDisableView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = OtpCodeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a code from your authenticator app or a recovery code."))
            return redirect("accounts:two_factor")
        try:
            two_factor.disable_two_factor(request.user, token=form.cleaned_data["otp_token"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Two-step sign-in is off."))
        return redirect("accounts:two_factor")


class UserManagerMixin(LoginRequiredMixin):
    """Only staff who manage users somewhere may use these pages."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.user.is_superuser or units_with(request.user, Cap.MANAGE_USERS).exists()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UserListView(UserManagerMixin, TemplateView):
    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        users = services.managed_users(self.request.user)
        form = UserFilterForm(self.request.GET or None)
        if form.is_valid():
            data = form.cleaned_data
            if data["q"]:
                q = data["q"].strip()
                users = users.filter(Q(full_name__icontains=q) | Q(username__icontains=q) | Q(email__icontains=q))
            if data["role"]:
                users = users.filter(memberships__role=data["role"]).distinct()
            if data["active"]:
                users = users.filter(is_active=data["active"] == "1")
        users = users.order_by("full_name", "username").prefetch_related("memberships__organization")
        page = Paginator(users, 25).get_page(self.request.GET.get("page"))
        context.update(filter_form=form, page_obj=page, users=page.object_list)
        return context


class UserCreateView(UserManagerMixin, FormView):
    template_name = "accounts/user_form.html"
    form_class = UserCreateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": services.units_for_roles(self.request.user)}

    def get_initial(self):
        unit = Organization.objects.filter(pk=self.request.GET.get("unit") or 0).first()
        if unit and can(self.request.user, Cap.MANAGE_USERS, unit):
            return {"organization": unit.code, "role": "officer"}
        return {"role": "officer"}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=self.request.user,
                data=data,
                organization=data["organization"],
                role=data["role"],
                position=data["position"],
                password=data["password1"] or None,
                request=self.request,
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        if data["password1"]:
            messages.success(self.request, _("Account %(user)s was created.") % {"user": user.username})
        else:
            messages.success(
                self.request,
                _("Account %(user)s was created; a link to choose a password was sent to %(email)s.")
                % {"user": user.username, "email": user.email},
            )
        return redirect("accounts:user_detail", pk=user.pk)


class ManagedUserMixin(UserManagerMixin):
    """Views about one user: 404 unless the user holds a role in the actor's reach."""

    def get_target(self):
        if not hasattr(self, "_target"):
            self._target = get_object_or_404(services.managed_users(self.request.user), pk=self.kwargs["pk"])
        return self._target

    def require_manageable(self):
        if not services.can_manage_user(self.request.user, self.get_target()):
            raise PermissionDenied


class UserDetailView(ManagedUserMixin, TemplateView):
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.get_target()
        actor = self.request.user
        memberships = list(target.memberships.select_related("organization__kind"))
        for membership in memberships:
            membership.can_revoke = can(actor, Cap.MANAGE_USERS, membership.organization) and target != actor
        context.update(
            target=target,
            memberships=memberships,
            can_manage=services.can_manage_user(actor, target),
            membership_form=kwargs.get("membership_form")
            or MembershipForm(units=services.units_for_roles(actor), initial={"role": "officer"}),
        )
        audit = history_entries(target.history.all(), limit=15) + history_entries(
            Membership.history.filter(user_id=target.pk), limit=15
        )
        context["audit"] = sorted(audit, key=lambda e: e["date"], reverse=True)[:15]
        return context


class UserUpdateView(ConflictMixin, ManagedUserMixin, FormView):
    template_name = "accounts/user_update.html"
    form_class = UserUpdateForm

    def get_form_kwargs(self):
        self.require_manageable()
        return {**super().get_form_kwargs(), "instance": self.get_target()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(target=self.get_target(), **kwargs)

    def form_valid(self, form):
        target = self.get_target()
        try:
            services.update_user(
                target,
                actor=self.request.user,
                data=form.domain_data(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as error:
            return self.render_conflict(form, error, target)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes were saved."))
        return redirect("accounts:user_detail", pk=target.pk)


class UserSetActiveView(ManagedUserMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.require_manageable()
        active = request.POST.get("active") == "1"
        services.set_user_active(self.get_target(), actor=request.user, active=active)
        messages.success(request, _("The account was enabled.") if active else _("The account was disabled."))
        return redirect("accounts:user_detail", pk=self.get_target().pk)


class UserPasswordLinkView(ManagedUserMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.require_manageable()
        target = self.get_target()
        try:
            services.send_password_link(target, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("A link to choose a password was sent to %(email)s.") % {"email": target.email},
            )
        return redirect("accounts:user_detail", pk=target.pk)


class MembershipCreateView(ManagedUserMixin, View):
    """Give the user a role in a unit of the actor's reach."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        target = self.get_target()
        form = MembershipForm(request.POST, units=services.units_for_roles(request.user))
        if form.is_valid():
            try:
                assign_role(
                    actor=request.user,
                    user=target,
                    organization=form.cleaned_data["organization"],
                    role=form.cleaned_data["role"],
                    position=form.cleaned_data["position"],
                )
            except DomainError as error:
                add_domain_error(form, error)
        if form.errors:
            view = UserDetailView(request=request, kwargs=self.kwargs)
            view._target = target
            return view.render_to_response(view.get_context_data(membership_form=form))
        messages.success(request, _("The role was saved."))
        return redirect("accounts:user_detail", pk=target.pk)


class MembershipDeleteView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(Membership.objects.select_related("organization", "user"), pk=kwargs["pk"])
        if not can(request.user, Cap.VIEW, membership.organization):
            raise Http404
        if not can(request.user, Cap.MANAGE_USERS, membership.organization):
            raise PermissionDenied
        try:
            revoke_role(membership, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role was removed."))
        target = membership.user
        if services.managed_users(request.user).filter(pk=target.pk).exists():
            return redirect("accounts:user_detail", pk=target.pk)
        return redirect(reverse("accounts:user_list"))
