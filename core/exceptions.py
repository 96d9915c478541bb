"""Domain errors raised by services and turned into messages by views."""


class DomainError(Exception):
    """A rule of the domain refused the operation; ``message`` is translated text.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)


class ConflictError(DomainError):
    """Someone else saved the same object since the form was opened.

    ``current`` is the object as it is now, so the view can show both versions.
    """

    def __init__(self, message, *, current):
        super().__init__(message)
        self.current = current
