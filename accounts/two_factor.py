"""Two-step sign-in: an authenticator app (TOTP) and one-time recovery codes (django-otp)."""

import io
import re
import time
from base64 import b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from core.exceptions import DomainError
from organizations.models import Role

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"
# TOTPDevice's defaults: 30-second steps, 6 digits, one step of clock drift either way.
STEP, DIGITS, TOLERANCE = 30, 6, 1


def is_on(user):
    """True when the user has a confirmed authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def required_for(user):
    """Staff (a "staff" role anywhere) and superusers must use two-step sign-in when the portal says so."""
    if not settings.PORTAL_REQUIRE_2FA_FOR_STAFF or not user.is_authenticated:
        return False
    return user.is_superuser or user.memberships.filter(role=Role.STAFF).exists()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_key():
    """A fresh secret (hex, 20 bytes) for an authenticator app not yet confirmed."""
    return random_hex(20)


def secret_for_display(key):
    """The secret as authenticator apps take it by hand: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def config_url(user, key):
    """The otpauth:// address the QR code carries (label, issuer, secret)."""
    return TOTPDevice(user=user, key=key, step=STEP, digits=DIGITS).config_url


def qr_svg(data):
    """A QR code as a standalone SVG document, drawn here: no outside service sees the secret."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def normalise(token):
    """Codes are typed with spaces or dashes and in either case; recovery codes are stored lower-case."""
    return re.sub(r"[\s-]", "", token or "").lower()


def _totp_step(key, token):
    """The time step ``token`` belongs to for ``key``, or None when it is not a current code."""
    if not (token.isdigit() and len(token) == DIGITS):
        return None
    totp = TOTP(unhexlify(key), step=STEP, digits=DIGITS)
    totp.time = time.time()
    if totp.verify(int(token), tolerance=TOLERANCE):
        return totp.t()
    return None


@transaction.atomic
def enable_two_factor(user, *, key, token):
    """Confirm the app holding ``key`` with a current code; replace any earlier app and recovery codes.

    Returns the app's device and the new recovery codes, which the caller shows once: the
    portal never shows them again.
    """
    step = _totp_step(key, normalise(token))
    if step is None:
        raise DomainError(
            _("The code is not correct. Check that the phone's clock is right and enter the current code."),
            field="otp_token",
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    # last_t: the code just used cannot be used again to sign in.
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True, last_t=step)
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    return device, codes


def verify_code(user, token):
    """The device that accepts ``token`` (an app code or an unused recovery code), or None.

    A recovery code is spent when it matches. Six digits go to the app only and anything else
    to the recovery codes, so a mistyped recovery code does not slow down the app (django-otp
    throttles each device after a failure: 1, 2, 4 … seconds).
    """
    token = normalise(token)
    if not token:
        return None
    model = TOTPDevice if token.isdigit() and len(token) == DIGITS else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def disable_two_factor(user, *, token):
    """Turn two-step sign-in off, proven by a current code or a recovery code.

    The code is checked outside the deleting transaction so that a wrong one still counts
    towards the device's throttling.
    """
    if required_for(user):
        raise DomainError(_("Your role requires two-step sign-in; it cannot be turned off."))
    if not is_on(user):
        raise DomainError(_("Two-step sign-in is not on."))
    if verify_code(user, token) is None:
        raise DomainError(_("The code is not correct."), field="otp_token")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
