"""The results service: the one place that turns stored responses into what a viewer may
see. An assessment's own consultants (and admins) see its submitted responses as they
stand; everyone else, and everyone in an anonymous study, sees releases that move in
steps of at least k responses (see releases.py and assess/domain/disclosure.py).

It raises its own errors (errors.py), never HTTP ones; the web answers each kind with
its status in one place.
"""
