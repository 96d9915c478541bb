"""Access-table rows for sign-in throttling and two-step sign-in (merged into tests/test_access.py).

Nobody in the table has two-step sign-in on, nor a sign-in waiting for its code:
- the code step sends everyone to sign in (anonymous) or home (signed in);
- the QR code exists only while the user is setting up an app: 404 otherwise;
- turning it off without a code only says why not (302 with a message).
"""


def statuses(anon, province, district, chair, other, leader):
    names = ["anonymous", "province_staff", "district_officer", "grassroots_chair", "other_grassroots_chair"]
    return dict(zip([*names, "leader_viewer"], [anon, province, district, chair, other, leader], strict=True))


ALL_OK = statuses(302, 200, 200, 200, 200, 200)
REDIRECT = statuses(302, 302, 302, 302, 302, 302)

TABLE = [
    ("accounts:login_code", lambda t, p, w: {}, "get", REDIRECT),
    ("accounts:login_code", lambda t, p, w: {}, "post", REDIRECT, {"otp_token": "123456"}),
    ("accounts:two_factor", lambda t, p, w: {}, "get", ALL_OK),
    ("accounts:two_factor_setup", lambda t, p, w: {}, "get", ALL_OK),
    ("accounts:two_factor_qr", lambda t, p, w: {}, "get", statuses(302, 404, 404, 404, 404, 404)),
    ("accounts:two_factor_disable", lambda t, p, w: {}, "post", REDIRECT),
]

POST_ONLY = {
    "accounts:two_factor_disable": lambda w: {},
}
