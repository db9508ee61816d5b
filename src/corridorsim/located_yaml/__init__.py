"""YAML with positions: documents read with the file, line and column of every value
(:mod:`~corridorsim.located_yaml.reader`), and validation messages that point at them
(:mod:`~corridorsim.located_yaml.diagnostics`)."""
