"""Unit and cluster pages through the test client, with real templates."""

import datetime
import re

from django.urls import reverse

from organizations.models import ClusterMember, EventType, Organization
from tests.factories import make_cluster

REFORM = "2025-07-01"


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def form_data(**overrides):
    data = {
        "name": "Công đoàn cơ sở Công ty CP Thủy sản Xuân Hòa",
        "short_name": "",
        "code": "cdcs-tsxh",
        "kind": "",
        "sector": "ngoai_nn",
        "members_count": "120",
        "workers_count": "130",
        "founded_on": "2024-05-02",
        "address": "",
        "phone": "",
        "email": "",
    }
    data.update(overrides)
    return data


def cdcs_kind_pk():
    from organizations.models import OrganizationKind

    return OrganizationKind.objects.get(code="cdcs").pk


class TestCreateAndEdit:
    def test_staff_create_a_unit_below_theirs(self, client, tree, personas):
        client.force_login(personas.province_staff)
        response = client.post(
            reverse("organizations:organization_create", args=[tree.district.pk]),
            form_data(kind=cdcs_kind_pk()),
        )
        org = Organization.objects.get(code="CDCS-TSXH")
        assert response["Location"] == reverse("organizations:organization_detail", args=[org.pk])
        assert (org.parent, org.members_count, org.founded_on) == (
            tree.district,
            120,
            datetime.date(2024, 5, 2),
        )
        assert org.history.get().history_user == personas.province_staff
        assert org.events.get().event_type == EventType.FOUNDED

    def test_bad_input_is_shown_again_with_the_users_values(self, client, tree, personas):
        client.force_login(personas.province_staff)
        url = reverse("organizations:organization_create", args=[tree.district.pk])
        response = client.post(url, form_data(kind=cdcs_kind_pk(), code="CDCS-MXH", members_count="-3"))
        page = text(response)
        assert response.status_code == 200
        assert "Đảm bảo giá trị này lớn hơn hoặc bằng với 0" in page
        assert 'value="Công đoàn cơ sở Công ty CP Thủy sản Xuân Hòa"' in page
        response = client.post(url, form_data(kind=cdcs_kind_pk(), code="CDCS-MXH"))
        assert "Mã CDCS-MXH đã được dùng cho “Công đoàn cơ sở Công ty TNHH May Xuân Hòa”." in text(response)
        assert Organization.objects.filter(code="CDCS-TSXH").count() == 0

    def test_the_kind_list_offers_only_kinds_that_fit_and_are_in_use(self, client, tree, personas):
        client.force_login(personas.province_staff)
        page = text(client.get(reverse("organizations:organization_create", args=[tree.province.pk])))
        assert "Công đoàn xã, phường, đặc khu" in page
        assert "Liên đoàn Lao động cấp huyện" not in page
        assert "Liên đoàn Lao động tỉnh, thành phố" not in page

    def test_a_conflicting_edit_shows_both_versions_and_keeps_the_first(self, client, tree, personas):
        url = reverse("organizations:organization_update", args=[tree.grassroots.pk])
        data = form_data(
            name=tree.grassroots.name,
            code="CDCS-MXH",
            kind=cdcs_kind_pk(),
            members_count="430",
            version="1",
        )
        client.force_login(personas.province_staff)
        assert client.post(url, {**data, "members_count": "500"}).status_code == 302
        client.force_login(personas.grassroots_chair)
        response = client.post(url, data)
        page = text(response)
        assert "Người khác đã lưu bản ghi này trong lúc bạn đang sửa." in page
        assert "Phiên bản do người khác lưu" in page and ">500<" in page
        assert 'name="version" value="2"' in page
        assert Organization.objects.get(pk=tree.grassroots.pk).members_count == 500
        # Saving again after seeing the other version is deliberate and goes through.
        assert client.post(url, {**data, "version": "2"}).status_code == 302
        assert Organization.objects.get(pk=tree.grassroots.pk).members_count == 430


class TestLifeEvents:
    def test_move_by_code(self, client, tree, personas):
        client.force_login(personas.province_staff)
        response = client.post(
            reverse("organizations:organization_move", args=[tree.grassroots.pk]),
            {"new_parent": "cdp-ds", "effective_on": REFORM, "note": "Quyết định 15/QĐ-LĐLĐ"},
        )
        assert response.status_code == 302
        tree.grassroots.refresh_from_db()
        assert tree.grassroots.parent == tree.other_district
        detail = text(client.get(reverse("organizations:organization_detail", args=[tree.grassroots.pk])))
        assert "01/7/2025</strong> – Chuyển về đơn vị cấp trên mới: <a" in detail
        assert "trước đây thuộc Công đoàn phường Xuân Hòa" in detail

    def test_move_target_outside_the_reach_is_refused(self, client, tree, personas):
        client.force_login(personas.grassroots_chair)
        response = client.post(
            reverse("organizations:organization_move", args=[tree.grassroots.pk]),
            {"new_parent": "CDP-DS", "effective_on": REFORM, "note": "x"},
        )
        assert "Không có đơn vị mã “CDP-DS” trong phạm vi của bạn." in text(response)
        assert Organization.objects.get(pk=tree.grassroots.pk).parent == tree.district

    def test_merge_and_the_successor_sees_the_history(self, client, tree, personas):
        client.force_login(personas.province_staff)
        response = client.post(
            reverse("organizations:organization_merge", args=[tree.district.pk]),
            {
                "into": "CDP-DS",
                "effective_on": REFORM,
                "note": "Nghị quyết sắp xếp",
                "move_children": "on",
            },
        )
        assert response.status_code == 302
        page = text(client.get(reverse("organizations:organization_detail", args=[tree.district.pk])))
        assert "Ngày 01/7/2025 đã sáp nhập vào" in page
        successor = text(client.get(reverse("organizations:organization_detail", args=[tree.other_district.pk])))
        assert "Các đơn vị đã sáp nhập vào đơn vị này" in successor
        assert "Công đoàn cơ sở Công ty TNHH May Xuân Hòa" in successor

    def test_ending_a_unit_with_subunits_explains_why_not(self, client, tree, personas):
        client.force_login(personas.province_staff)
        response = client.post(
            reverse("organizations:organization_deactivate", args=[tree.district.pk]),
            {"effective_on": REFORM, "note": "Giải thể"},
        )
        assert "Đơn vị còn 2 đơn vị trực thuộc đang hoạt động." in text(response)
        assert "> Giải thể</textarea>" in text(response)
        assert Organization.objects.get(pk=tree.district.pk).is_active

    def test_effective_date_in_the_future_is_refused(self, client, tree, personas):
        client.force_login(personas.province_staff)
        future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
        response = client.post(
            reverse("organizations:organization_deactivate", args=[tree.grassroots.pk]),
            {"effective_on": future, "note": "Giải thể"},
        )
        assert "Ngày hiệu lực không được sau ngày hôm nay." in text(response)


class TestBrowsing:
    def test_the_tree_starts_at_the_users_units(self, client, tree, personas):
        client.force_login(personas.district_officer)
        page = text(client.get(reverse("organizations:organization_list")))
        assert "Công đoàn phường Xuân Hòa" in page
        assert "Công đoàn cơ sở Công ty TNHH May Xuân Hòa" in page
        assert "Liên đoàn Lao động tỉnh An Phú" not in page
        assert "Công đoàn phường Đông Sơn" not in page

    def test_branches_load_on_demand(self, client, tree, personas):
        client.force_login(personas.province_staff)
        url = reverse("organizations:organization_children", args=[tree.district.pk])
        fragment = text(client.get(url, headers={"HX-Request": "true"}))
        assert "<html" not in fragment
        assert "Công đoàn cơ sở Công ty TNHH May Xuân Hòa" in fragment
        assert "Công đoàn cơ sở Trường Tiểu học Đông Sơn" not in fragment

    def test_search_ignores_accents_and_stays_inside_the_reach(self, client, tree, personas):
        client.force_login(personas.province_staff)
        page = text(client.get(reverse("organizations:organization_list"), {"q": "xuan hoa"}))
        assert "Tìm thấy 2 đơn vị" in page and "CDCS-MXH" in page
        page = text(client.get(reverse("organizations:organization_list"), {"q": "bac son"}))
        assert "Tìm thấy 0 đơn vị" in page and "Không có đơn vị nào phù hợp." in page

    def test_filters_by_sector_kind_cluster_and_status(self, client, tree, personas):
        client.force_login(personas.province_staff)
        url = reverse("organizations:organization_list")
        assert "Tìm thấy 1 đơn vị" in text(client.get(url, {"sector": "fdi"}))
        cluster = make_cluster(tree.province, members=[tree.other_district])
        page = text(client.get(url, {"cluster": cluster.pk}))
        assert "Tìm thấy 1 đơn vị" in page and "Công đoàn phường Đông Sơn" in page
        tree.far_grassroots.is_active = False
        tree.far_grassroots.save()
        assert "Trường Tiểu học Đông Sơn" in text(client.get(url, {"active": "0"}))
        assert "Trường Tiểu học Đông Sơn" not in text(client.get(url, {"active": "1", "level": "4"}))

    def test_lookup_suggests_only_units_in_scope(self, client, tree, personas):
        client.force_login(personas.grassroots_chair)
        url = reverse("organizations:organization_lookup")
        assert "CDCS-MXH" in text(client.get(url, {"q": "may"}))
        assert "CDCS-GBM" not in text(client.get(url, {"q": "giay"}))
        client.force_login(personas.province_staff)
        assert "CDP-DS" in text(client.get(url, {"q": "dong son", "scope": "manage"}))

    def test_detail_shows_totals_users_and_audit_to_staff_only(self, client, tree, personas):
        client.force_login(personas.province_staff)
        page = text(client.get(reverse("organizations:organization_detail", args=[tree.district.pk])))
        assert 'Số đoàn viên (cộng từ công đoàn cơ sở)</dt><dd class="col-5">1.620' in page
        assert "Lịch sử thay đổi" in page
        client.force_login(personas.district_officer)
        page = text(client.get(reverse("organizations:organization_detail", args=[tree.district.pk])))
        assert "Lê Thị Phường" in page and "Lịch sử thay đổi" not in page
        assert "Quản lý" not in page


class TestClusterPages:
    def test_staff_add_a_member_and_the_district_sees_its_cluster(self, client, tree, personas):
        cluster = make_cluster(tree.province, name="Cụm thi đua số 1", members=[tree.district], year=2026)
        client.force_login(personas.province_staff)
        response = client.post(
            reverse("organizations:cluster_member_save", args=[cluster.pk]),
            {"organization": "CDP-DS", "year": "2026", "role": "deputy"},
        )
        assert response["Location"].endswith("?year=2026")
        assert ClusterMember.objects.get(cluster=cluster, organization=tree.other_district).role == "deputy"
        client.force_login(personas.district_officer)
        page = text(client.get(reverse("organizations:cluster_detail", args=[cluster.pk]), {"year": 2026}))
        assert "Thành viên năm 2026" in page
        assert "Trưởng cụm/khối" in page and "Phó cụm/khối" in page
        assert "Thêm đơn vị hoặc đổi vai trò" not in page

    def test_refused_membership_is_explained_on_the_page(self, client, tree, personas):
        cluster = make_cluster(tree.province)
        client.force_login(personas.province_staff)
        response = client.post(
            reverse("organizations:cluster_member_save", args=[cluster.pk]),
            {"organization": "CDCS-MXH", "year": "2026", "role": "member"},
        )
        assert response.status_code == 200
        assert "Chỉ đơn vị cấp “Công đoàn cấp trên trực tiếp cơ sở” mới tham gia được cụm/khối này." in text(response)

    def test_create_cluster(self, client, tree, personas):
        client.force_login(personas.province_staff)
        response = client.post(
            reverse("organizations:cluster_create", args=[tree.province.pk]),
            {
                "kind": "khoi",
                "name": "Khối thi đua doanh nghiệp",
                "level": "3",
                "description": "",
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        cluster = tree.province.organized_clusters.get()
        assert (cluster.kind, cluster.history.get().history_user) == (
            "khoi",
            personas.province_staff,
        )


class TestLanguage:
    def test_vietnamese_is_the_default_whatever_the_browser_says(self, client, tree, personas):
        client.force_login(personas.province_staff)
        response = client.get(reverse("core:home"), headers={"Accept-Language": "en-US,en;q=0.9"})
        page = text(response)
        assert '<html lang="vi">' in page and "Việc cần làm" in page
        assert response["Content-Language"] == "vi"

    def test_english_can_be_chosen(self, client, tree, personas):
        client.force_login(personas.province_staff)
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        page = text(client.get(reverse("core:home")))
        assert '<html lang="en">' in page and "To do" in page and "Việc cần làm" not in page
        page = text(client.get(reverse("organizations:organization_detail", args=[tree.district.pk])))
        assert 'Union members (from grassroots unions)</dt><dd class="col-5">1,620' in page


def test_large_ids_and_years_are_not_grouped_in_markup(client, tree, personas):
    from tests.factories import make_organization

    big = make_organization("Công đoàn phường Số Lớn", kind_code="cd_xa_phuong", parent=tree.province, pk=12345)
    make_organization(parent=big)
    client.force_login(personas.province_staff)
    page = text(client.get(reverse("organizations:organization_list")))
    assert 'aria-controls="children-12345"' in page
    make_cluster(tree.province, members=[big], year=2026)
    page = text(client.get(reverse("organizations:organization_detail", args=[big.pk])))
    assert "?year=2026" in page and "2.026" not in page


def test_refusals_explain_themselves_in_vietnamese(client, tree, personas):
    client.force_login(personas.district_officer)
    response = client.get(reverse("organizations:organization_update", args=[tree.district.pk]))
    assert response.status_code == 403 and "Vai trò của bạn không cho phép thao tác này." in text(response)
    response = client.get(reverse("organizations:organization_detail", args=[tree.province.pk]))
    assert response.status_code == 404 and "Không tìm thấy trang" in text(response)


def test_an_expired_form_gets_a_readable_page(tree, personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.province_staff)
    response = client.post(reverse("organizations:organization_create", args=[tree.district.pk]), {})
    assert response.status_code == 403 and "Biểu mẫu đã hết hạn" in text(response)
