"""A border post's parameters where the built-in network's crossing is calibrated
(:mod:`corridorsim.network.calibrated`): what the scenario leaves unset comes from the
calibration."""

from __future__ import annotations

from corridorsim.distributions import Fixed, LogNormal
from corridorsim.errors import CorridorSimError
from corridorsim.network.calibrated import CalibratedCrossing
from corridorsim.scenario.format import BorderPost, Dist, OpeningHours

__all__ = ["clearance_scale", "post_params"]


def clearance_scale(found: CalibratedCrossing, hours: float, builtin_hours: float) -> float:
    """What the calibrated clearance is multiplied by for a crossing to take ``hours``
    where the built-in network says ``builtin_hours``: 1 if they agree. Otherwise this
    direction's calibrated time changes in proportion, and the clearance is read off the
    straight line through the calibration's two runs, with no clearance and with the
    calibrated clearance (the queue and the wait for the opening change a little with
    the clearance, as vehicles reach a post at other times of day).

    Raises
    ------
    CorridorSimError
        If that is no more than the crossing takes with no clearance at all.
    """
    if hours == builtin_hours:
        return 1.0
    why = found.too_short(hours, builtin_hours)
    if why is not None:
        raise CorridorSimError(f"network.crossing_hours: {found.crossing} by {found.mode}: {why}")
    bare = found.hours_before_clearance
    target = found.stated_hours(hours, builtin_hours)
    return (target - bare) / (found.provenance.simulated_hours - bare)


def post_params(
    post: BorderPost, found: CalibratedCrossing, role: str, scale: float
) -> tuple[BorderPost, Dist]:
    """The post's parameters and processing time: the resource's lanes and lognormal
    service, the opening hours, and the lognormal clearance, times ``scale``
    (:func:`clearance_scale`), wherever the scenario leaves them unset. A scenario that
    sets a post's processing time sets its whole time there: the calibrated resource
    (its lanes and service) and clearance are left out, unless it sets them too."""
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
