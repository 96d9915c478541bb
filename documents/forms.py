from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import VersionField
from documents.models import Issuer


class IssuerForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = Issuer
        fields = ["style", "parent_name", "name", "abbreviation", "place", "is_active"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_name"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def domain_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class CertificateUploadForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Certificate file (.p12, .pfx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Used to check the file only; the portal does not keep it and asks for it at each signing."),
    )


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
