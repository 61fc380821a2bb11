"""assess: customer experience maturity assessments."""

__version__ = "0.1.0"
