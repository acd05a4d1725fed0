"""Planning (through the Rust core) and applying plans."""

from pgmt.engine.apply import apply_plan
from pgmt.engine.plan import Plan, Step, make_plan

__all__ = ["Plan", "Step", "apply_plan", "make_plan"]
