from django.http import FileResponse, HttpResponse


def file_response(filename, content_type, content):
    """A download of ``content``; exporters and renderers return these three values."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(stored):
    """An uploaded file (evidence) as an attachment under its original name, never cached."""
    response = FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
