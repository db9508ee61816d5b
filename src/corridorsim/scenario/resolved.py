"""The scenario as run: ``extends`` merged and the network with the scenario's changes
applied, as plain data, and a hash of it that identifies a run's inputs."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from corridorsim.network.files import BUILTIN_NETWORK
from corridorsim.scenario.loader import LoadedScenario

__all__ = ["resolved_scenario", "scenario_hash"]


def resolved_scenario(loaded: LoadedScenario) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scenario and network as run, ``extends`` merged: the network with the
    scenario's changes applied; the scenario, run again, gives the same run. On the
    built-in network the scenario keeps its ``network:`` changes to it (the built-in
    network's posts are calibrated, a copy's are not); on a network file of the user's
    it refers to the network as run (``network.yaml``), keeping only its closures."""
    scenario = loaded.scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    scenario.pop("extends", None)
    net = loaded.network
    network = net.spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    if loaded.scenario.network.file == BUILTIN_NETWORK:
        # kept as the changes to the built-in network, whose posts and closures are
        # calibrated: a copy of it would run uncalibrated
        return scenario, network
    scenario["network"] = {
        "file": "network.yaml",
        "close_links": sorted(k for k, link in net.links.items() if link.closed),
        "close_crossings": sorted(k for k, c in net.crossings.items() if c.closed),
    }
    return scenario, network


def scenario_hash(loaded: LoadedScenario) -> str:
    """SHA-256 of the resolved scenario and network (see :func:`resolved_scenario`) and
    whether the network is the built-in one (whose posts and closures are calibrated),
    so a result can be traced to exactly what was run, and run again."""
    scenario, network = resolved_scenario(loaded)
    # the built-in network's posts and closures are calibrated; a copy of it is not
    builtin = loaded.scenario.network.file == BUILTIN_NETWORK
    blob = json.dumps(
        {"scenario": scenario, "network": network, "builtin_network": builtin},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
