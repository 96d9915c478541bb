"""Sign-in throttling (django-axes) and two-step sign-in (django-otp)."""

import datetime
import re
import time
from binascii import unhexlify

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.security import client_ip

LOGIN = "/account/login/"
LOCKED = "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."
WRONG = "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác."
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, hex


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def sign_in(client, username="may.chutich", password="pass-12345", ip="10.0.0.1", **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def code(key=KEY, offset=0):
    """The app's code now (offset in 30-second steps)."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time() + 30 * offset
    return f"{totp.token():06d}"


def wrong_code(key=KEY):
    right = {code(key, offset) for offset in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


@pytest.fixture(autouse=True)
def _no_code_throttle(settings):
    # django-otp makes a device wait 1, 2, 4 … seconds after a wrong code; tests type faster.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def signed_in_as(client):
    response = client.get(reverse("accounts:profile"))
    return response.context["user"].username if response.status_code == 200 else None


class TestLockout:
    def test_five_wrong_passwords_lock_the_name_on_that_address(self, client, personas):
        for _attempt in range(4):
            response = sign_in(client, password="sai")
            assert response.status_code == 200 and WRONG in text(response)
        response = sign_in(client, password="sai")
        assert response.status_code == 429
        page = text(response)
        assert LOCKED in page and 'id="lockout-message"' in page
        assert "<h1" in page and "Đăng nhập" in page  # the sign-in page in the portal's layout, not a bare 403
        # The right password is refused too while locked.
        response = sign_in(client)
        assert response.status_code == 429 and LOCKED in text(response)
        assert signed_in_as(client) is None

    def test_another_address_and_another_user_still_sign_in(self, client, personas):
        for _attempt in range(5):
            sign_in(client, password="sai")
        assert sign_in(client, ip="10.0.0.2")["Location"] == reverse("core:home")
        client.logout()
        # Same address, another user name: the pair is locked, not the address.
        assert sign_in(client, username="may.chuyenvien")["Location"] == reverse("core:home")

    def test_the_cool_off_ends_the_lockout(self, client, personas):
        for _attempt in range(5):
            sign_in(client, password="sai")
        assert sign_in(client).status_code == 429
        # Fifteen minutes pass.
        AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))
        assert sign_in(client)["Location"] == reverse("core:home")
        assert signed_in_as(client) == "may.chutich"
        assert not AccessAttempt.objects.exists()  # the count starts again after a success

    def test_a_success_resets_the_count(self, client, personas):
        for _attempt in range(4):
            sign_in(client, password="sai")
        assert sign_in(client)["Location"] == reverse("core:home")
        client.logout()
        for _attempt in range(4):
            assert sign_in(client, password="sai").status_code == 200

    def test_the_limit_and_the_wait_come_from_the_settings(self, client, personas, settings):
        settings.AXES_FAILURE_LIMIT = 2
        settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=1)
        assert sign_in(client, password="sai").status_code == 200
        response = sign_in(client, password="sai")
        assert response.status_code == 429
        assert "Vui lòng thử lại sau 1 phút." in text(response)

    def test_the_lockout_message_in_english(self, client, personas):
        client.cookies["django_language"] = "en"
        for _attempt in range(5):
            response = sign_in(client, password="sai")
        assert "Too many failed sign-in attempts. Try again in 15 minutes." in text(response)

    def test_a_forwarded_address_is_ignored_unless_the_proxy_is_trusted(self, client, personas, settings):
        # Untrusted: changing X-Forwarded-For does not give a fresh address for each guess.
        for attempt in range(5):
            response = sign_in(client, password="sai", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
        assert response.status_code == 429
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}

    def test_behind_a_trusted_proxy_each_client_counts_alone(self, client, personas, settings):
        settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
        for _attempt in range(5):
            sign_in(client, password="sai", HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert sign_in(client, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
        response = sign_in(client, HTTP_X_FORWARDED_FOR="203.0.113.8")
        assert response["Location"] == reverse("core:home")
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "10.0.0.1", "203.0.113.9", "10.0.0.1"),
        (["127.0.0.1"], "10.0.0.1", "203.0.113.9", "10.0.0.1"),  # not from our proxy
        (["127.0.0.1"], "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        # The client may send its own header: the right-most address not ours is the one our proxy saw.
        (["127.0.0.1"], "127.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "203.0.113.9, 10.1.2.3", "203.0.113.9"),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def enable(user, key=KEY):
    """Two-step sign-in on for ``user`` through the service; returns the recovery codes."""
    _device, codes = two_factor.enable_two_factor(user, key=key, token=code(key))
    # The code used to enable cannot sign in; tests sign in at the next step.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    return codes


class TestSetup:
    def test_enabling_needs_a_valid_code_and_shows_ten_codes_once(self, client, personas):
        user = personas.g1_officer
        client.force_login(user)
        page = client.get(reverse("accounts:two_factor_setup"))
        assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
        key = client.session["accounts_two_factor_key"]
        shown = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
        assert shown.replace(" ", "") == two_factor.secret_for_display(key).replace(" ", "")
        assert f'src="{reverse("accounts:two_factor_qr")}"' in page.content.decode()
        # Reloading keeps the same secret (the phone may already have scanned it).
        client.get(reverse("accounts:two_factor_setup"))
        assert client.session["accounts_two_factor_key"] == key

        response = client.post(reverse("accounts:two_factor_setup"), {"otp_token": wrong_code(key)})
        assert response.status_code == 200
        assert "Mã không đúng. Hãy kiểm tra đồng hồ của điện thoại và nhập mã đang hiển thị." in text(response)
        assert not two_factor.is_on(user)

        response = client.post(reverse("accounts:two_factor_setup"), {"otp_token": code(key)})
        assert response.status_code == 200
        codes = re.findall(r'<li class="list-group-item font-monospace">([a-z2-7]{8})</li>', response.content.decode())
        assert len(codes) == 10 == len(set(codes))
        assert "các mã chỉ hiển thị duy nhất trên trang này" in text(response)
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed and device.key == key
        assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(codes)
        assert "accounts_two_factor_key" not in client.session
        # The session that set it up counts as verified; the status page says so.
        status = text(client.get(reverse("accounts:two_factor")))
        assert "Đăng nhập hai bước đang bật." in status and "Bạn còn 10 mã dự phòng chưa dùng." in status
        assert "Đang bật" in text(client.get(reverse("accounts:profile")))

    def test_the_qr_code_is_an_svg_served_by_the_portal(self, client, personas):
        client.force_login(personas.g1_officer)
        assert client.get(reverse("accounts:two_factor_qr")).status_code == 404  # nothing being set up
        client.get(reverse("accounts:two_factor_setup"))
        response = client.get(reverse("accounts:two_factor_qr"))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert "no-store" in response["Cache-Control"]
        svg = response.content.decode()
        assert "<svg" in svg and "<path" in svg
        assert "style=" not in svg and "<script" not in svg

    def test_the_otpauth_address_names_the_portal_and_the_user(self, personas):
        url = two_factor.config_url(personas.g1_officer, KEY)
        assert url.startswith("otpauth://totp/C%E1%BB%95ng%20thi%20%C4%91ua%3Amay.chuyenvien?secret=")
        assert "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in url

    def test_setting_up_again_replaces_the_app_and_codes_but_needs_a_verified_session(self, client, personas):
        user = personas.g1_officer
        old_codes = enable(user)
        client.force_login(user)  # a session that never passed the code
        response = client.get(reverse("accounts:two_factor_setup"))
        assert response["Location"].startswith(reverse("accounts:login"))
        assert signed_in_as(client) is None
        # Signed in with the code, the user may move to a new phone.
        sign_in(client, username="may.chuyenvien")
        client.post(reverse("accounts:login_code"), {"otp_token": code()})
        assert "Hoàn tất thiết lập này sẽ thay ứng dụng xác thực" in text(
            client.get(reverse("accounts:two_factor_setup"))
        )
        new_key = client.session["accounts_two_factor_key"]
        client.post(reverse("accounts:two_factor_setup"), {"otp_token": code(new_key)})
        assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) == [new_key]
        assert not StaticToken.objects.filter(token__in=old_codes).exists()
        assert StaticToken.objects.filter(device__user=user).count() == 10

    def test_turning_off_needs_a_code(self, client, personas):
        user = personas.g1_officer
        enable(user)
        sign_in(client, username="may.chuyenvien")
        client.post(reverse("accounts:login_code"), {"otp_token": code()})
        response = client.post(reverse("accounts:two_factor_disable"), {"otp_token": wrong_code()}, follow=True)
        assert "Mã không đúng." in text(response) and two_factor.is_on(user)
        response = client.post(reverse("accounts:two_factor_disable"), {"otp_token": code(offset=1)}, follow=True)
        assert "Đăng nhập hai bước đang tắt." in text(response)
        assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
        client.logout()
        assert sign_in(client, username="may.chuyenvien")["Location"] == reverse("core:home")


class TestSignInWithCode:
    def test_the_password_alone_does_not_sign_in(self, client, personas):
        enable(personas.grassroots_chair)
        response = sign_in(client)
        assert response["Location"] == reverse("accounts:login_code")
        assert signed_in_as(client) is None
        page = client.get(reverse("accounts:login_code"))
        assert "Phạm Văn May, tài khoản của bạn dùng đăng nhập hai bước." in text(page)

    def test_a_wrong_code_is_refused_and_a_right_one_signs_in(self, client, personas):
        enable(personas.grassroots_chair)
        sign_in(client)
        response = client.post(reverse("accounts:login_code"), {"otp_token": wrong_code()})
        assert response.status_code == 200
        assert "Mã không đúng hoặc đã hết hạn." in text(response)
        assert signed_in_as(client) is None
        used = code()
        response = client.post(reverse("accounts:login_code"), {"otp_token": used})
        assert response["Location"] == reverse("core:home")
        assert signed_in_as(client) == "may.chutich"
        # The same code cannot be used twice.
        client.logout()
        sign_in(client)
        assert client.post(reverse("accounts:login_code"), {"otp_token": used}).status_code == 200

    def test_next_is_kept_through_the_code_step(self, client, personas):
        enable(personas.grassroots_chair)
        target = reverse("accounts:profile")
        client.post(
            reverse("accounts:login") + f"?next={target}",
            {"username": "may.chutich", "password": "pass-12345", "next": target},
        )
        assert client.post(reverse("accounts:login_code"), {"otp_token": code()})["Location"] == target

    def test_a_recovery_code_works_once(self, client, personas):
        codes = enable(personas.grassroots_chair)
        sign_in(client)
        response = client.post(reverse("accounts:login_code"), {"otp_token": codes[3].upper()}, follow=True)
        assert signed_in_as(client) == "may.chutich"
        assert "Bạn đã đăng nhập bằng mã dự phòng; còn 9 mã." in text(response)
        client.logout()
        sign_in(client)
        response = client.post(reverse("accounts:login_code"), {"otp_token": codes[3]})
        assert response.status_code == 200 and signed_in_as(client) is None
        assert client.post(reverse("accounts:login_code"), {"otp_token": codes[4]})["Location"] == reverse("core:home")

    def test_wrong_codes_count_towards_the_lockout(self, client, personas):
        enable(personas.grassroots_chair)
        sign_in(client)
        for _attempt in range(4):
            response = client.post(reverse("accounts:login_code"), {"otp_token": wrong_code()}, REMOTE_ADDR="10.0.0.1")
            assert response.status_code == 200
        response = client.post(reverse("accounts:login_code"), {"otp_token": wrong_code()}, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 429 and LOCKED in text(response)
        # The pending sign-in is gone, and the password is refused from this address for now.
        assert client.get(reverse("accounts:login_code"))["Location"] == reverse("accounts:login")
        assert sign_in(client).status_code == 429

    def test_the_code_step_expires(self, client, personas):
        enable(personas.grassroots_chair)
        sign_in(client)
        session = client.session
        session["accounts_pending_two_factor"]["at"] -= 6 * 60
        session.save()
        response = client.post(reverse("accounts:login_code"), {"otp_token": code()}, follow=True)
        assert response.redirect_chain == [(reverse("accounts:login"), 302)]
        assert "Quá thời gian đăng nhập. Vui lòng đăng nhập lại." in text(response)
        assert signed_in_as(client) is None

    def test_the_code_step_without_a_password_goes_to_sign_in(self, client, personas):
        assert client.get(reverse("accounts:login_code"))["Location"] == reverse("accounts:login")
        assert client.post(reverse("accounts:login_code"), {"otp_token": "123456"})["Location"] == reverse(
            "accounts:login"
        )

    def test_the_admin_signs_in_through_the_portal(self, client, personas, django_user_model):
        response = client.get(reverse("admin:login") + "?next=/admin/")
        assert response["Location"] == reverse("accounts:login") + "?next=/admin/"
        admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-2026", full_name="Root")
        enable(admin)
        client.force_login(admin)  # not through the code step
        assert client.get(reverse("admin:index")).status_code == 302
        client.logout()
        sign_in(client, username="root", password="pw-root-2026")
        client.post(reverse("accounts:login_code"), {"otp_token": code()})
        assert client.get(reverse("admin:index")).status_code == 200


class TestRequiredForStaff:
    @pytest.fixture(autouse=True)
    def _required(self, settings):
        settings.PORTAL_REQUIRE_2FA_FOR_STAFF = True

    def test_staff_without_an_app_are_sent_to_set_it_up_from_any_page(self, client, personas, tree):
        client.force_login(personas.grassroots_chair)
        for url in [
            reverse("core:home"),
            reverse("campaigns:campaign_list"),
            reverse("organizations:organization_detail", args=[tree.grassroots.pk]),
            reverse("accounts:profile"),
            reverse("accounts:two_factor"),
        ]:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:two_factor_setup") + "?next="), url
        page = client.get(reverse("accounts:two_factor_setup"))
        assert page.status_code == 200
        assert "Vai trò của bạn bắt buộc đăng nhập hai bước. Hãy thiết lập để tiếp tục." in text(page)
        # Signing out still works.
        assert client.post(reverse("accounts:logout")).status_code == 302

    def test_a_fragment_request_sends_the_whole_page_to_the_setup(self, client, personas):
        client.force_login(personas.grassroots_chair)
        response = client.get(reverse("campaigns:campaign_list"), HTTP_HX_REQUEST="true")
        assert response["HX-Redirect"] == reverse("accounts:two_factor_setup")

    def test_after_setup_the_portal_opens_and_the_app_cannot_be_turned_off(self, client, personas):
        client.force_login(personas.grassroots_chair)
        nxt = reverse("campaigns:campaign_list")
        client.get(reverse("accounts:two_factor_setup") + f"?next={nxt}")
        key = client.session["accounts_two_factor_key"]
        response = client.post(reverse("accounts:two_factor_setup"), {"otp_token": code(key), "next": nxt})
        assert f'href="{nxt}"' in response.content.decode()
        assert client.get(nxt).status_code == 200
        status = text(client.get(reverse("accounts:two_factor")))
        assert "Vai trò của bạn bắt buộc đăng nhập hai bước nên không thể tắt." in status
        response = client.post(reverse("accounts:two_factor_disable"), {"otp_token": code(key, 1)}, follow=True)
        assert "Vai trò của bạn bắt buộc đăng nhập hai bước; không thể tắt." in text(response)
        assert two_factor.is_on(personas.grassroots_chair)

    def test_superusers_are_staff_too_and_officers_are_not(self, client, personas, django_user_model):
        admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw", full_name="Root")
        client.force_login(admin)
        assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:two_factor_setup"))
        client.force_login(personas.district_officer)
        assert client.get(reverse("core:home")).status_code == 200

    def test_a_staff_session_that_skipped_the_code_signs_in_again(self, client, personas):
        enable(personas.grassroots_chair)
        client.force_login(personas.grassroots_chair)
        response = client.get(reverse("core:home"))
        assert response["Location"].startswith(reverse("accounts:login"))
        assert signed_in_as(client) is None

    def test_sign_in_leads_staff_to_the_setup(self, client, personas):
        response = sign_in(client, ip="127.0.0.1")
        assert response["Location"] == reverse("core:home")
        assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:two_factor_setup"))

    def test_off_by_default(self, client, personas, settings):
        settings.PORTAL_REQUIRE_2FA_FOR_STAFF = False
        client.force_login(personas.grassroots_chair)
        assert client.get(reverse("core:home")).status_code == 200


def test_passwords_are_hashed_with_argon2_and_older_hashes_are_upgraded_at_sign_in(client, personas, settings):
    from config import settings as portal_settings

    settings.PASSWORD_HASHERS = portal_settings.PASSWORD_HASHERS  # the tests' fast hasher set aside
    user = personas.g1_officer
    user.password = PBKDF2PasswordHasher().encode("pass-12345", "somesalt", iterations=1000)
    user.save(update_fields=["password"])

    assert sign_in(client, username=user.username)["Location"] == reverse("core:home")

    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("pass-12345")


def test_signing_in_stamps_the_time_without_a_change_history_row(client, personas):
    user = personas.g1_officer
    user.set_password("pass-12345")
    user.save()
    rows = user.history.count()

    assert sign_in(client, username=user.username)["Location"] == reverse("core:home")

    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == rows
