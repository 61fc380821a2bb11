"""E-mail to respondents. `content/`, below persistence: the kinds of e-mail, their texts
and defaults, and how a message is put together. `delivery/`, above persistence: what to
send, and the sender that works through the outbox in the background."""
