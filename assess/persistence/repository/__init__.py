"""Every database query of the project, one module per subject. Functions take
keyword-only arguments; callers import the subject module they need."""
