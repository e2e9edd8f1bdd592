"""``{% load inspections %}{% target_results target %}``: a target's published results, with their
corrections and follow-up, for the directory's target page."""

from django import template

from fairspot.inspections.selectors import published_results_for_target

register = template.Library()


@register.inclusion_tag("inspections/includes/target_results.html")
def target_results(target):
    return {"results": list(published_results_for_target(target))}
