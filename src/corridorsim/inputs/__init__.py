"""Reading input files: YAML with positions, and messages that point at them."""
