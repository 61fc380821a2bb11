"""The `assess` command: one module per command group, terminal output beside them."""
