from organizations.access import Cap, holds_anywhere


def portal(request):
    """Navigation facts every page needs (computed lazily, from one query a request)."""
    user = getattr(request, "user", None)

    def holds_somewhere(capability):
        def check():
            return user is not None and holds_anywhere(user, capability)

        return check

    return {"nav_manages_users": holds_somewhere(Cap.MANAGE_USERS), "nav_audits": holds_somewhere(Cap.VIEW_AUDIT)}
