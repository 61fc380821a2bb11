"""Report templates and stylesheets, shipped in the wheel as `assess.report_templates`."""
