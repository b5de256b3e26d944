"""Template filters that ask `goals.permissions`: {% if request.user|can_edit_goal:goal %}…{% endif %}.

Anonymous visitors are answered without a query, so the public pages cost nothing extra.
"""

from django import template

from goals import permissions

register = template.Library()


@register.filter
def can_edit_goal(user, goal):
    return permissions.can_edit_goal(user, goal)


@register.filter
def can_add_child(user, goal):
    return permissions.can_add_child(user, goal)


@register.filter
def can_edit_item(user, item):
    """An indicator or an activity."""
    return permissions.can_edit_item(user, item)


@register.filter
def can_read(user):
    return permissions.can_read(user)


@register.filter
def is_controller(user):
    return permissions.is_controller(user)
