"""Checks shared by the browser journeys."""


def fits(page, phone):
    """At phone width the page itself must not scroll sideways (wide tables scroll in their box)."""
    if phone:
        # A click that navigates returns before the new document exists.
        page.wait_for_load_state()
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{page.url} scrolls sideways: {width[0]} > {width[1]}"
