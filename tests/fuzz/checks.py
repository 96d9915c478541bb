"""What every fuzzed request must satisfy: no 500, and a refusal writes nothing and says why in Vietnamese."""

import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED = "Chưa nhập dữ liệu nào."
# A message is taken as Vietnamese when, without the user's own values quoted in “…”, it has
# a Vietnamese letter: every translated message of the portal has one, no English one does.
VIETNAMESE_LETTER = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def is_vietnamese(message):
    return bool(VIETNAMESE_LETTER.search(QUOTED.sub("", str(message))))


def post(client, url, data, **extra):
    """POST without letting the view's exception escape: a crash is answered 500 like in production."""
    client.raise_request_exception = False
    response = client.post(url, data, **extra)
    assert response.status_code != 500, f"500 from {url}"
    return response


def upload(content, name="du-lieu.xlsx", content_type=XLSX):
    return SimpleUploadedFile(name, content, content_type=content_type)


def form_errors(response):
    """Every error message of the forms in the page's context."""
    found = []
    for key in ("form", "upload_form"):
        form = response.context.get(key) if response.context else None
        if form is not None and hasattr(form, "errors"):
            found += [m for messages in form.errors.values() for m in messages]
    return found


def issue_messages(response):
    """(row, message) of each problem an import lists, whatever shape the importer uses."""
    issues = (response.context.get("issues") or response.context.get("problems") or []) if response.context else []
    found = []
    for issue in issues:
        if isinstance(issue, tuple):
            found.append((issue[0], issue[2]))
        elif isinstance(issue, str):
            found.append((0, issue))
        else:
            found.append((issue.row, issue.message))
    return found


def check_import(client, url, content, counts, stats, *, name="du-lieu.xlsx", content_type=XLSX, refused=REFUSED):
    """Upload ``content``: accepted (a redirect), or refused with nothing written and every reason shown."""
    before = counts()
    response = post(client, url, {"file": upload(content, name, content_type)})
    stats["cases"] += 1
    if response.status_code == 302:
        stats["accepted"] += 1
        return response
    stats["rejected"] += 1
    assert response.status_code == 200, response.status_code
    assert counts.diff(before) == {}, "a refused import wrote rows"
    page = response.content.decode()
    errors, issues = form_errors(response), issue_messages(response)
    assert errors, "refused without saying why"
    # The page lists the first IMPORT_PROBLEMS_SHOWN problems of a long list (and says so).
    for message in errors + [m for _row, m in issues[: settings.IMPORT_PROBLEMS_SHOWN]]:
        assert escape(message) in page, message
        assert is_vietnamese(message), message
    if issues:
        assert refused in page
    return response
