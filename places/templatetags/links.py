"""`{{ path|absolute }}`: a path of the site as a full address on SITE_URL (see places.links)."""

from django import template

from ..links import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    return absolute_url(path)
