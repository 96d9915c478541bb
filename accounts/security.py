"""Sign-in throttling (django-axes): who the client is, and what a locked-out client sees."""

import ipaddress
import math

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Where the password step leaves the user who still owes a code (see accounts.views.LoginCodeView).
PENDING_SESSION_KEY = "accounts_pending_two_factor"


def _networks(values):
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            continue
    return networks


def _parse(address):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def client_ip(request):
    """The client's address, as axes counts failures against it.

    X-Forwarded-For is believed only when the connection comes from a proxy listed in
    PORTAL_TRUSTED_PROXIES: otherwise anyone could send the header and pick a fresh address
    for every guess. Walking the header from the right, the first address that is not one of
    our proxies is the client (left-most entries can be forged by the client itself).
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    trusted = _networks(settings.PORTAL_TRUSTED_PROXIES)
    remote_ip = _parse(remote)
    if not trusted or remote_ip is None or not any(remote_ip in network for network in trusted):
        return remote or None
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for part in reversed(chain):
        address = _parse(part)
        if address is None:
            break
        if not any(address in network for network in trusted):
            return str(address)
    return remote


def lockout_minutes():
    """Minutes a locked-out client waits, or None when only an administrator can unlock."""
    cool_off = settings.AXES_COOLOFF_TIME
    if not cool_off:
        return None
    return max(1, math.ceil(cool_off.total_seconds() / 60))


def lockout_message():
    minutes = lockout_minutes()
    if minutes is None:
        return _("Too many failed sign-in attempts. Ask the system administrator to unlock your account.")
    return ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, saying why and for how long (axes' AXES_LOCKOUT_CALLABLE).

    Every try while locked starts the cool-off again (axes' default), so the full wait is
    what is left.
    """
    request.session.pop(PENDING_SESSION_KEY, None)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "lockout_message": lockout_message(),
        "next": request.POST.get("next", ""),
    }
    return render(request, "accounts/login.html", context, status=429)
