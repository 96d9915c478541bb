from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import VersionField
from organizations.forms import UnitCodeField
from organizations.models import Role


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @/./+/-/_ only; used to sign in."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    password1 = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to e-mail the user a link to choose a password."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = UnitCodeField(label=_("Unit"), queryset=units, lookup_scope="users")
        self.order_fields(
            [
                "username",
                "full_name",
                "email",
                "phone",
                "organization",
                "role",
                "position",
                "password1",
                "password2",
            ]
        )

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 or p2:
            if p1 != p2:
                self.add_error("password2", _("The two passwords differ."))
            else:
                candidate = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
                try:
                    password_validation.validate_password(p1, candidate)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return data


class UserUpdateForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = User
        fields = ["full_name", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["version"].initial = self.instance.version

    def domain_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, user name or e-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All"))] + Role.choices, required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), ("1", _("Enabled")), ("0", _("Disabled"))],
        required=False,
    )


class OtpCodeForm(forms.Form):
    """One code: six digits from the authenticator app, or a recovery code where allowed."""

    otp_token = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, *args, recovery=True, **kwargs):
        super().__init__(*args, **kwargs)
        if recovery:
            self.fields["otp_token"].help_text = _(
                "The six digits your authenticator app shows now, or one of your recovery codes."
            )
        else:
            self.fields["otp_token"].help_text = _("The six digits your authenticator app shows now.")
            self.fields["otp_token"].widget.attrs["inputmode"] = "numeric"
