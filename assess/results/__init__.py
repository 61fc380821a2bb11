"""The results service: the one place that turns stored responses into what a viewer may
see. An assessment's own consultants (and admins) see its submitted responses as they
stand; everyone else, and everyone in an anonymous study, sees releases that move in
steps of at least k responses (see releases.py and assess/domain/disclosure.py).

service.py holds the figures and the score output, assessments.py what routes ask of one
assessment (its figures, respondents' scores, its peer benchmark), departments.py and
studies.py the rules on departments and on what a study has, peers.py the researchers'
peer figures. It raises its own errors (errors.py), never HTTP ones; the web answers each
kind with its status in one place.
"""
