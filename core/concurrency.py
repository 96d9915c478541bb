from django.utils.translation import gettext as _

from core.exceptions import ConflictError


def lock_current(model, obj, expected_version):
    """Lock ``obj``'s row and refuse when someone saved it after ``expected_version``.

    Must run inside a transaction. ``None`` skips the version check (imports, scripts).
    """
    current = model.objects.select_for_update().get(pk=obj.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(
            _(
                "Someone else saved this record while you were editing it. "
                "Their version is shown below; check it and save again."
            ),
            current=current,
        )
    return current
