"""Sign-in, passwords, and user management inside a subtree."""

import re

from django.core import mail
from django.urls import reverse

from accounts.models import User
from organizations.models import Membership


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def signs_in(client, username, password):
    """Through the sign-in page: axes needs the request that client.login() does not give."""
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == reverse("core:home")


def test_sign_in_page_is_vietnamese_and_signs_in(client, personas):
    page = text(client.get(reverse("accounts:login")))
    assert "Đăng nhập" in page and "Quên mật khẩu?" in page
    response = client.post(reverse("accounts:login"), {"username": "may.chutich", "password": "pass-12345"})
    assert response["Location"] == reverse("core:home")
    home = text(client.get(reverse("core:home")))
    assert "Xin chào, Phạm Văn May" in home
    assert "Công đoàn cơ sở Công ty TNHH May Xuân Hòa" in home
    assert "Hiện chưa có việc cần làm." in home


def test_wrong_password_is_explained(client, personas):
    response = client.post(reverse("accounts:login"), {"username": "may.chutich", "password": "sai"})
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác." in text(response)


def test_sign_out_is_a_post(client, personas):
    client.force_login(personas.grassroots_chair)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))


def test_password_change(client, personas):
    client.force_login(personas.grassroots_chair)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pass-12345",
            "new_password1": "Cong-doan-2026!",
            "new_password2": "Cong-doan-2026!",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    personas.grassroots_chair.refresh_from_db()
    assert personas.grassroots_chair.check_password("Cong-doan-2026!")


def test_password_reset_by_email(client, personas):
    response = client.post(reverse("accounts:password_reset"), {"email": "may.chutich@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Đặt lại mật khẩu trên cổng thi đua"
    link = re.search(r"http://testserver(/account/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in text(form_page)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Moi-Mat-Khau-9", "new_password2": "Moi-Mat-Khau-9"},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert signs_in(client, "may.chutich", "Moi-Mat-Khau-9")


def test_unknown_address_gets_the_same_answer_and_no_mail(client, personas):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


class TestUserManagement:
    def new_user(self, **overrides):
        data = {
            "username": "may.ketoan",
            "full_name": "Đỗ Thị Kế",
            "email": "ke.do@example.com",
            "phone": "0912 345 678",
            "organization": "CDCS-MXH",
            "role": "officer",
            "position": "Kế toán công đoàn",
            "password1": "",
            "password2": "",
        }
        data.update(overrides)
        return data

    def test_staff_create_a_user_who_gets_an_invitation(
        self, client, tree, personas, django_capture_on_commit_callbacks
    ):
        client.force_login(personas.grassroots_chair)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:user_create"), self.new_user())
        user = User.objects.get(username="may.ketoan")
        assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
        membership = user.memberships.get()
        assert (membership.organization, membership.role, membership.position) == (
            tree.grassroots,
            "officer",
            "Kế toán công đoàn",
        )
        assert not user.has_usable_password()
        assert user.history.get().history_user == personas.grassroots_chair
        assert mail.outbox[0].to == ["ke.do@example.com"]
        link = re.search(r"http://testserver(/account/reset/\S+/)", mail.outbox[0].body).group(1)
        page = client.get(link, follow=True)
        client.post(
            page.redirect_chain[-1][0],
            {"new_password1": "Ke-Toan-2026", "new_password2": "Ke-Toan-2026"},
        )
        assert signs_in(client, "may.ketoan", "Ke-Toan-2026")

    def test_staff_cannot_place_a_user_outside_their_subtree(self, client, tree, personas):
        client.force_login(personas.grassroots_chair)
        response = client.post(reverse("accounts:user_create"), self.new_user(organization="CDCS-GBM"))
        page = text(response)
        assert "Không có đơn vị mã “CDCS-GBM” trong phạm vi của bạn." in page
        assert 'value="Đỗ Thị Kế"' in page
        assert not User.objects.filter(username="may.ketoan").exists()

    def test_duplicate_email_and_weak_password_are_explained(self, client, tree, personas):
        client.force_login(personas.province_staff)
        response = client.post(
            reverse("accounts:user_create"),
            self.new_user(email="may.chutich@example.com", password1="123", password2="123"),
        )
        page = text(response)
        assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 8 ký tự." in page
        response = client.post(reverse("accounts:user_create"), self.new_user(email="MAY.CHUTICH@example.com"))
        assert "Địa chỉ thư điện tử này đã được dùng cho tài khoản khác." in text(response)

    def test_user_list_shows_only_users_of_the_subtree(self, client, tree, personas):
        client.force_login(personas.grassroots_chair)
        page = text(client.get(reverse("accounts:user_list")))
        assert "Vũ Văn Nhập" in page and "Phạm Văn May" in page
        assert "Hoàng Thị Giày" not in page and "Nguyễn Thị Tỉnh" not in page

    def test_an_account_with_roles_elsewhere_cannot_be_edited_but_its_local_role_can_go(self, client, tree, personas):
        from organizations.models import Membership as M

        M.objects.create(user=personas.g1_officer, organization=tree.other_grassroots, role="viewer")
        client.force_login(personas.grassroots_chair)
        assert client.get(reverse("accounts:user_update", args=[personas.g1_officer.pk])).status_code == 403
        detail = text(client.get(reverse("accounts:user_detail", args=[personas.g1_officer.pk])))
        assert "còn có vai trò ở đơn vị ngoài phạm vi của bạn" in detail
        local = personas.g1_officer.memberships.get(organization=tree.grassroots)
        client.post(reverse("accounts:membership_delete", args=[local.pk]))
        assert list(personas.g1_officer.memberships.values_list("organization__code", flat=True)) == ["CDCS-GBM"]

    def test_disabling_an_account_stops_its_sign_in(self, client, tree, personas):
        client.force_login(personas.province_staff)
        client.post(reverse("accounts:user_set_active", args=[personas.g1_officer.pk]), {"active": "0"})
        client.logout()
        assert not signs_in(client, "may.chuyenvien", "pass-12345")
        assert personas.g1_officer.history.first().history_change_reason == "Khóa tài khoản"

    def test_roles_are_added_and_audited(self, client, tree, personas):
        client.force_login(personas.province_staff)
        response = client.post(
            reverse("accounts:membership_create", args=[personas.g1_officer.pk]),
            {"organization": "CDP-XH", "role": "viewer", "position": ""},
        )
        assert response.status_code == 302
        assert Membership.objects.get(user=personas.g1_officer, organization=tree.district).role == "viewer"
        page = text(client.get(reverse("accounts:user_detail", args=[personas.g1_officer.pk])))
        assert "Tạo mới phân quyền" in page and "Nguyễn Thị Tỉnh" in page

    def test_a_bad_role_form_is_shown_again(self, client, tree, personas):
        client.force_login(personas.grassroots_chair)
        response = client.post(
            reverse("accounts:membership_create", args=[personas.g1_officer.pk]),
            {"organization": "LDLD-AP", "role": "staff", "position": ""},
        )
        assert response.status_code == 200
        assert "Không có đơn vị mã “LDLD-AP” trong phạm vi của bạn." in text(response)
        assert personas.g1_officer.memberships.count() == 1

    def test_own_profile_update(self, client, personas):
        client.force_login(personas.g1_officer)
        response = client.post(
            reverse("accounts:profile"),
            {
                "full_name": "Vũ Văn Nhập",
                "email": "nhap.vu@example.com",
                "phone": "0987",
                "version": "1",
            },
        )
        assert response["Location"] == reverse("accounts:profile")
        personas.g1_officer.refresh_from_db()
        assert (personas.g1_officer.email, personas.g1_officer.version) == (
            "nhap.vu@example.com",
            2,
        )
