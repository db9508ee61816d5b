"""A border post's parameters where the built-in network's crossing is calibrated
(:mod:`corridorsim.network.calibrated`): what the scenario leaves unset comes from the
calibration."""

from __future__ import annotations

from corridorsim.distributions import Fixed, LogNormal
from corridorsim.network.calibrated import CalibratedCrossing
from corridorsim.scenario.format import BorderPost, Dist, OpeningHours

__all__ = ["post_params"]


def post_params(
    post: BorderPost, found: CalibratedCrossing, role: str, scale: float
) -> tuple[BorderPost, Dist]:
    """The post's parameters and processing time: the resource's lanes and lognormal
    service, the opening hours, and the lognormal clearance, times ``scale`` (the
    scenario's expected hours for the crossing over the built-in network's), wherever
    the scenario leaves them unset. A scenario that sets a post's processing time sets
    its whole time there: the calibrated resource (lanes whose service is a scanner's
    minutes, not that time) and clearance are left out, unless it sets them too."""
    cal = found.exit if role == "exit" else found.entry
    update: dict[str, object] = {}
    if "opening_hours" not in post.model_fields_set:
        update["opening_hours"] = OpeningHours(open=found.open, close=found.close)
    if post.processing_hours is not None:
        return post.model_copy(update=update), post.processing_hours
    if post.capacity is None and cal.lanes is not None:
        update["capacity"] = cal.lanes
    if post.clearance_hours is None and cal.clearance_mean_hours > 0:
        update["clearance_hours"] = LogNormal(
            mean=cal.clearance_mean_hours * scale, sigma=cal.clearance_sigma
        )
    processing: Dist = Fixed(value=0)
    if cal.service_mean_hours > 0:
        processing = LogNormal(mean=cal.service_mean_hours, sigma=cal.service_sigma)
    return post.model_copy(update=update), processing
