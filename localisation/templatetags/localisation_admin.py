from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (missing keys give an empty string)."""
    return mapping.get(key, "")
