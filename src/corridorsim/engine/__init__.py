"""The SimPy engine: plan, model, resources, consolidation and random streams."""

from corridorsim.engine.model import CATEGORIES, ConservationError, CorridorModel, RunRecords
from corridorsim.engine.plan import Plan

__all__ = ["CATEGORIES", "ConservationError", "CorridorModel", "Plan", "RunRecords"]
