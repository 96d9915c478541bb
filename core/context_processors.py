from organizations.access import Cap, units_with


def portal(request):
    """Navigation facts every page needs (computed lazily, at most once a request)."""
    user = getattr(request, "user", None)

    def manages_users():
        if user is None or not user.is_authenticated:
            return False
        if not hasattr(request, "_manages_users"):
            request._manages_users = user.is_superuser or units_with(user, Cap.MANAGE_USERS).exists()
        return request._manages_users

    def audits():
        if user is None or not user.is_authenticated:
            return False
        if not hasattr(request, "_audits"):
            request._audits = user.is_superuser or units_with(user, Cap.VIEW_AUDIT).exists()
        return request._audits

    return {"nav_manages_users": manages_users, "nav_audits": audits}
