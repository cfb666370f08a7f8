"""Command-line faces over the core: one module per command group, thin by design."""
