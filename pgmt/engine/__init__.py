"""Planning (through the Rust core) and applying plans."""

from pgmt.engine.apply import apply_plan
from pgmt.engine.plan import Plan, Prepared, Step, make_plan, prepare

__all__ = ["Plan", "Prepared", "Step", "apply_plan", "make_plan", "prepare"]
