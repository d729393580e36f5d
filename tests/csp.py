"""Reading a Content-Security-Policy header in tests."""


def csp_directives(policy: str) -> dict[str, str]:
    """The policy's directives by name, with their values as written. django-csp writes
    them in an order that differs from process to process, so tests look them up by name."""
    return {
        name: value
        for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))
        if name
    }
