"""SPBE index: indicator catalogue (data), scoring and planning (pure), assessment sync (shell)."""
