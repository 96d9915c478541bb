from django.http import HttpResponse


def file_response(filename, content_type, content):
    """A download of ``content``; exporters and renderers return these three values."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
