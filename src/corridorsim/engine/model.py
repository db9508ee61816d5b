"""The discrete-event model: one object owns the clock, resources, streams and records.

Containers are TEU units. Their arrivals are drawn up front with numpy (a Poisson
process or a fixed schedule per flow); after that the simulation works at vehicle
level: a train or truck is a SimPy process (:mod:`corridorsim.engine.vehicles`) that
runs its segment's steps and appends one record per step. :meth:`CorridorModel.run`
returns those records as arrays (:class:`~corridorsim.engine.output.RunOutput`);
:mod:`corridorsim.results.records` turns them into tables.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from corridorsim.distributions import Distribution, Fixed
from corridorsim.engine.consolidation import EPS, Consolidator
from corridorsim.engine.disruptions import make_disruptions, reroute
from corridorsim.engine.fleet import Fleet
from corridorsim.engine.output import ResourceOutput, RunOutput
from corridorsim.engine.plan import LegStep, OpStep, Plan, SegmentPlan
from corridorsim.engine.resources import MonitoredResource, ResourceId
from corridorsim.engine.sampling import Sampler, arrival_times
from corridorsim.engine.streams import Streams
from corridorsim.engine.vehicles import FACILITY, LEG, POST, Facility, Leg, Post, vehicle
from corridorsim.errors import CorridorSimError
from corridorsim.scenario.speed_basis import en_route_delays
from corridorsim.units import HOURS_PER_DAY, HOURS_PER_YEAR

__all__ = ["ConservationError", "CorridorModel"]


def _is_zero(d: Distribution) -> bool:
    """A fixed zero: no stops, and no draws (so no stream is used for them)."""
    return isinstance(d, Fixed) and d.value == 0


class ConservationError(CorridorSimError, RuntimeError):
    """Containers were lost or double-counted: created != delivered + in system."""


Manifests = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class CorridorModel:
    """One replication of a scenario.

    Parameters
    ----------
    plan : Plan
        Routes, segments, posts and facilities (see :meth:`Plan.build`).
    replication : int
        Replication number; with ``seed`` it fixes every random stream.
    seed : int, optional
        Defaults to the scenario's ``simulation.seed``.

    Examples
    --------
    >>> out = CorridorModel(Plan.build(loaded), replication=0).run()  # doctest: +SKIP
    """

    def __init__(self, plan: Plan, *, replication: int = 0, seed: int | None = None):
        self.plan = plan
        sc = plan.loaded.scenario
        self.scenario = sc
        self.seed = sc.simulation.seed if seed is None else int(seed)
        self.replication = int(replication)
        self.horizon = sc.simulation.horizon_days * HOURS_PER_DAY
        self.warmup = sc.simulation.warmup_days * HOURS_PER_DAY
        self.env = simpy.Environment()
        self.streams = Streams(self.seed, self.replication)

        # records: flat lists (appending to a list is the cheapest way to keep them),
        # turned into numpy arrays at the end
        self.stages: list[float] = []  # flat (vehicle, stage, place, hours, end) records
        self.vehicles: list[float] = []  # flat (segment, teu, depart, arrive) records
        # each vehicle's containers and the times they began to wait for it: listed per
        # vehicle, or, for queues with a precomputed schedule, the vehicles in order (the
        # k-th takes the queue's k-th run of known arrivals)
        self.manifest_vids: list[int] = []
        self.manifest_ids: list[np.ndarray] = []
        self.manifest_queued: list[np.ndarray] = []
        self.ranged_vids: list[list[int]] = [[] for _ in plan.segments]
        self.on_board = 0
        self._manifest_cache: tuple[tuple[int, float], Manifests] | None = None

        self._make_containers()
        self.closures = make_disruptions(self)
        self._make_resources()
        self._make_running_draws()
        self.operations = [self._operations(seg) for seg in plan.segments]
        # segments that end every route they are on: their vehicles deliver, and the
        # delivery times are read from the vehicle records once the run ends
        ends = {r.segments[-1] for r in plan.routes}
        inner = {k for r in plan.routes for k in r.segments[:-1]}
        self.final = [seg.key in ends and seg.key not in inner for seg in plan.segments]
        self._make_consolidators()
        if self.warmup > 0:
            self.env.process(self._end_warmup())

    # --- set-up ----------------------------------------------------------------------------

    def _make_containers(self) -> None:
        """Every container's creation time and flow, drawn up front per flow."""
        times, flows = [], []
        for f, flow in enumerate(self.scenario.demand):
            rng = self.streams[f"arrivals/{flow.name}"]
            t = arrival_times(
                flow.teu / HOURS_PER_YEAR, flow.start_hours, self.horizon, flow.arrivals, rng
            )
            times.append(t)
            flows.append(np.full(len(t), f, dtype=np.int32))
        self.created = np.concatenate(times) if times else np.empty(0)
        self.flow = np.concatenate(flows) if flows else np.empty(0, dtype=np.int32)
        n = len(self.created)
        self.route = np.array([self.plan.flow_routes[f][0] for f in self.flow], dtype=np.int32)
        if n == 0:
            self.route = np.empty(0, dtype=np.int32)
        self.pos = np.zeros(n, dtype=np.int32)
        self.delivered_h = np.full(n, np.nan)
        self.dwell = self._port_dwell(n)
        self.ready = self.created + self.dwell  # when each can board at its origin
        self.landed = np.zeros(n)  # hours dwelling at a port a ship landed it at
        self.landed_place = np.full(n, -1, dtype=np.int64)
        self.in_landing = 0  # containers dwelling at such a port now

    def _port_dwell(self, n: int) -> np.ndarray:
        """Hours each container stays in its origin port before it can board (0 where
        its flow does not start at a port), drawn per flow from its own stream."""
        dwell = np.zeros(n)
        for f, pd in enumerate(self.plan.port_dwell):
            if pd is None:
                continue
            ids = np.flatnonzero(self.flow == f)
            name = self.scenario.demand[f].name
            dwell[ids] = pd.hours.sample(self.streams[f"port_dwell/{name}"], len(ids))
        return dwell

    def _make_resources(self) -> None:
        """Border posts, terminals, line sections and headways."""
        plan = self.plan
        self.posts = {k: Post(self, p) for k, p in plan.posts.items()}
        self._pair_posts()
        self.facilities = {k: Facility(self, f) for k, f in plan.facilities.items()}
        self.sections: dict[str, MonitoredResource] = {}
        self.headways: dict[tuple[str, str], MonitoredResource] = {}
        for step in self._leg_steps():
            spec = step.link.spec
            lid = step.link.id
            if spec.max_trains is not None and lid not in self.sections:
                rid = ResourceId("line_section", link=lid)
                self.sections[lid] = MonitoredResource(self.env, rid, spec.max_trains)
            if spec.headway_hours is not None and (lid, step.start) not in self.headways:
                rid = ResourceId("headway", node=step.start, link=lid)
                self.headways[(lid, step.start)] = MonitoredResource(self.env, rid, 1)

    def _pair_posts(self) -> None:
        """Send each exit post's background vehicles on to the entry post facing it,
        after the border link's running time."""
        link_hours: dict[str, float] = {
            st.exit_post: st.link.running_hours
            for st in self._leg_steps()
            if st.exit_post is not None
        }
        for post in self.posts.values():
            pair = post.plan.pair
            if pair is None or pair not in self.posts:
                continue
            exit_post = self.posts[pair]
            if not len(exit_post.lanes.background_arrivals):
                continue
            exit_post.lanes.downstream = post.lanes
            exit_post.lanes.downstream_hours = link_hours.get(pair, 0.0)
            post.lanes.upstream = exit_post.lanes
            n = len(exit_post.lanes.background_arrivals)
            post.lanes.background_work = post.draw_work(self, n)
            post.lanes.background_clearance = post.draw_clearance(self, n)

    def _make_running_draws(self) -> None:
        """Running-time noise per link and en-route stops per link and country."""
        ops = self.scenario.operations
        noise = ops.running_noise
        self.noise: dict[str, Sampler] | None = None
        if noise is not None:
            lids = {st.link.id for st in self._leg_steps()}
            self.noise = {lid: Sampler(noise, self.streams[f"running/{lid}"]) for lid in lids}
        delays = en_route_delays(self.scenario, self.plan.loaded.network.spec.defaults)
        self.stops: dict[str, list[tuple[float, Sampler]]] = {}
        for st in self._leg_steps():
            link = st.link
            if link.id in self.stops:
                continue
            share = ops.truck_delay_share if link.mode == "road" else 1.0
            self.stops[link.id] = [
                (km / 100.0, Sampler(d, self.streams[f"stops/{link.id}/{c}"], share))
                for c, km in link.km_by_country.items()
                if (d := delays.get((link.mode, c))) is not None and not _is_zero(d)
            ]

    def _leg_steps(self) -> list[LegStep]:
        return [st for seg in self.plan.segments for st in seg.steps if isinstance(st, LegStep)]

    def _make_consolidators(self) -> None:
        """A queue per segment, fed at the origins with the containers drawn up front."""
        batch_fed = self._batch_fed()
        self.fleets = {
            seg.key: Fleet(
                ResourceId("fleet", mode=seg.mode, node=seg.start, link=f"{seg.start}-{seg.end}"),
                seg.fleet_sets,
                seg.turnaround_hours,
            )
            for seg in self.plan.segments
            if seg.fleet_sets is not None
        }
        self.consolidators = [
            Consolidator(
                self.env,
                seg.capacity,
                seg.policy,
                self._dispatcher(seg),
                dispatch_range=self._range_dispatcher(seg),
                batch_fed=seg.key in batch_fed or seg.key in self.fleets,
                fleet=self.fleets.get(seg.key),
            )
            for seg in self.plan.segments
        ]
        first = np.array([r.segments[0] for r in self.plan.routes], dtype=np.int64)
        seg_of = first[self.route] if len(self.route) else np.empty(0, dtype=np.int64)
        for key in np.unique(seg_of):
            ids = np.flatnonzero(seg_of == key)
            self.consolidators[int(key)].set_future(self.ready[ids], ids)

    def _batch_fed(self) -> set[int]:
        """Segments that can receive containers from arriving vehicles (or reroutes)."""
        fed = {seg for r in self.plan.routes for seg in r.segments[1:]}
        if self.scenario.disruptions.rerouting.enabled:
            fed |= {r.segments[0] for r in self.plan.routes}
        return fed

    def _operations(self, seg: SegmentPlan) -> list[tuple[int, Any, int]]:
        """A segment's steps as the flat list of operations its vehicles go through:
        ``(POST, post, place)``, ``(LEG, leg, place)``, ``(FACILITY, step, place)``.
        Posts that change nothing are left out."""
        ops: list[tuple[int, Any, int]] = []
        for st in seg.steps:
            if isinstance(st, OpStep):
                ops.append((FACILITY, st, st.place))
                continue
            if st.exit_post is not None and not self.posts[st.exit_post].trivial:
                assert st.exit_place is not None  # a post always has its place
                ops.append((POST, self.posts[st.exit_post], st.exit_place))
            ops.append((LEG, Leg(self, st), st.place))
            if st.entry_post is not None and not self.posts[st.entry_post].trivial:
                assert st.entry_place is not None
                ops.append((POST, self.posts[st.entry_post], st.entry_place))
        return ops

    def _resources(self) -> list[MonitoredResource]:
        return [
            *self.sections.values(),
            *self.headways.values(),
        ]

    def _end_warmup(self) -> Generator[Any, Any, None]:
        yield self.env.timeout(self.warmup)
        for res in self._resources():
            res.reset_stats()

    # --- starting vehicles -------------------------------------------------------------------

    def _dispatcher(self, seg: SegmentPlan) -> Callable[[np.ndarray, np.ndarray], None]:
        """The function a consolidation queue calls to start a vehicle of ``seg``."""
        key = seg.key
        env = self.env
        vehicles = self.vehicles
        rerouting = self.scenario.disruptions.rerouting.enabled
        final = self.final[key]
        nan = float("nan")

        def dispatch(ids: np.ndarray, qtimes: np.ndarray) -> None:
            if rerouting:
                ids, qtimes = reroute(self, seg, ids, qtimes)
                if len(ids) == 0:
                    return
            n = len(ids)
            vid = len(vehicles) // 4
            vehicles.extend((key, n, env.now, nan))
            self.manifest_vids.append(vid)
            self.manifest_ids.append(ids)
            self.manifest_queued.append(qtimes)
            self.on_board += n
            env.process(vehicle(self, vid, key, None if final else ids, n))

        return dispatch

    def _range_dispatcher(self, seg: SegmentPlan) -> Callable[[int, int], None]:
        """The same for a queue with a precomputed schedule (its known arrivals
        ``start:end``); a vehicle that delivers needs no list of its containers."""
        key = seg.key
        env = self.env
        vehicles, ranged = self.vehicles, self.ranged_vids[key]
        final = self.final[key]
        nan = float("nan")

        def dispatch_range(start: int, end: int) -> None:
            n = end - start
            vid = len(vehicles) // 4
            vehicles.extend((key, n, env.now, nan))
            ranged.append(vid)
            self.on_board += n
            ids = None if final else self.consolidators[key].future_id[start:end]
            env.process(vehicle(self, vid, key, ids, n))

        return dispatch_range

    # --- running -------------------------------------------------------------------------------

    def run(self) -> RunOutput:
        """Simulate to the horizon, check conservation, and return the records.

        Raises
        ------
        ConservationError
            If containers were lost or counted twice (a bug, never expected).
        """
        self.env.run(until=self.horizon)
        self.check_conservation()
        return self.output()

    def _post_outputs(self) -> list[ResourceOutput]:
        """Each post's and terminal's statistics since the warm-up, background traffic
        included (every vehicle that arrived before now is placed first)."""
        now = self.env.now
        out = []
        places: list[Post | Facility] = [*self.posts.values(), *self.facilities.values()]
        for place in places:
            lanes = place.lanes
            lanes.advance(now)
            out.append(
                ResourceOutput(
                    place.id, lanes.lanes, lanes.stats(self.warmup, now), lanes.states(now)
                )
            )
        return out

    def waiting(self) -> int:
        """Containers waiting for a vehicle, now."""
        return sum(c.waiting() for c in self.consolidators)

    def check_conservation(self) -> None:
        """Check that containers created so far = delivered + in port + waiting + on
        board.

        Holds at any time, not only at the horizon; checking changes no record.

        Raises
        ------
        ConservationError
        """
        self._manifests()
        now = self.env.now + EPS
        created = int(np.count_nonzero(self.created <= now))
        in_port = created - int(np.count_nonzero(self.ready <= now))
        delivered = int(np.count_nonzero(~np.isnan(self.delivered_h)))
        in_port += self.in_landing
        in_system = in_port + self.waiting() + self.on_board
        if created != delivered + in_system:
            raise ConservationError(
                f"replication {self.replication}: {created} containers created but "
                f"{delivered} delivered + {in_system} in the system ({in_port} in port, "
                f"{self.waiting()} waiting, {self.on_board} on board)"
            )

    def _manifests(self) -> Manifests:
        """The vehicle records as arrays, ``(vehicles, ids, vehicle of each, queued)``:
        one row per vehicle ``(segment, teu, depart, arrive)``, then one entry per
        container carried. Delivery times on final segments are filled in here."""
        nv = len(self.vehicles) // 4
        state = (nv, self.env.now)  # nothing changes unless the clock moves on
        if self._manifest_cache is not None and self._manifest_cache[0] == state:
            return self._manifest_cache[1]
        veh = np.array(self.vehicles, dtype=float).reshape(nv, 4)
        teu = veh[:, 1].astype(np.int64)
        vids = np.array(self.manifest_vids, dtype=np.int64)
        parts = [
            (
                np.repeat(vids, teu[vids]),
                np.concatenate([np.empty(0, dtype=np.int64), *self.manifest_ids]),
                np.concatenate([np.empty(0), *self.manifest_queued]),
            )
        ]
        for cons, ranged in zip(self.consolidators, self.ranged_vids, strict=True):
            if ranged:
                end = cons.schedule_ends[len(ranged) - 1]
                rv = np.array(ranged, dtype=np.int64)
                parts.append((np.repeat(rv, teu[rv]), cons.future_id[:end], cons.future_t[:end]))
        m_vid = np.concatenate([p[0] for p in parts])
        order = np.argsort(m_vid, kind="stable")  # by vehicle, each in boarding order
        m_vid = m_vid[order]
        m_ids = np.concatenate([p[1] for p in parts]).astype(np.int64, copy=False)[order]
        m_q = np.concatenate([p[2] for p in parts]).astype(float, copy=False)[order]
        final = np.array(self.final, dtype=bool)
        arrive = veh[m_vid, 3]
        done = final[veh[m_vid, 0].astype(np.int64)] & ~np.isnan(arrive)
        self.delivered_h[m_ids[done]] = arrive[done]
        out = (veh, m_ids, m_vid, m_q)
        self._manifest_cache = (state, out)
        return out

    def output(self) -> RunOutput:
        """The records so far as arrays (see :class:`RunOutput`)."""
        veh, m_ids, m_vid, m_q = self._manifests()
        return RunOutput(
            plan=self.plan,
            replication=self.replication,
            warmup=self.warmup,
            created=self.created,
            dwell=self.dwell,
            landed=self.landed,
            landed_place=self.landed_place,
            flow=self.flow,
            route=self.route,
            delivered_h=self.delivered_h,
            vehicles=veh,
            stages=np.array(self.stages, dtype=float).reshape(-1, 5),
            manifest_vehicle=m_vid,
            manifest_container=m_ids,
            manifest_queued=m_q,
            resources=(
                *self._post_outputs(),
                *(
                    ResourceOutput(f.id, f.sets, f.stats(self.warmup, self.env.now), f.states())
                    for f in self.fleets.values()
                ),
                *(
                    ResourceOutput(r.id, r.capacity, r.stats(), r.states())
                    for r in self._resources()
                ),
            ),
            closures=tuple((c.name, a, b) for c in self.closures.values() for a, b in c.log),
        )
