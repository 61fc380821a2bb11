"""What e-mail to respondents says: the kinds of e-mail, their texts and the shipped
defaults, and how a message is put together. Below persistence, which stores the texts
organisations write; imports neither persistence nor delivery."""
