from organizations.access import Cap, units_with


def portal(request):
    """Navigation facts every page needs (computed lazily, at most once a request)."""
    user = getattr(request, "user", None)

    def holds_somewhere(capability):
        def check():
            if user is None or not user.is_authenticated:
                return False
            cache = request.__dict__.setdefault("_nav_capabilities", {})
            if capability not in cache:
                cache[capability] = user.is_superuser or units_with(user, capability).exists()
            return cache[capability]

        return check

    return {"nav_manages_users": holds_somewhere(Cap.MANAGE_USERS), "nav_audits": holds_somewhere(Cap.VIEW_AUDIT)}
