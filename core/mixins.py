"""View mixins shared by every app."""


class ConflictMixin:
    """For edit views with optimistic locking (a hidden ``version`` field).

    When the service raises ConflictError, the form is shown again with the user's
    input, the other person's version beside it, and the new version number, so that
    saving again overwrites knowingly instead of silently.
    """

    def render_conflict(self, form, error, instance):
        form_class = type(form)
        kwargs = {k: v for k, v in self.get_form_kwargs().items() if k not in ("data", "files", "instance")}
        data = form.data.copy()
        data["version"] = error.current.version
        fresh = form_class(data, instance=instance, **kwargs)
        fresh.is_valid()
        fresh.add_error(None, error.message)
        other = form_class(instance=error.current, **kwargs)
        return self.render_to_response(self.get_context_data(form=fresh, conflict=other))
