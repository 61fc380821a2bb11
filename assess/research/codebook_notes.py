"""The codebook's notes on what a questionnaire may add to an export: facts asked of one
lead (rule 6 and the lead flag's anonymity rule) and importance ratings."""

from __future__ import annotations

from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.domain.questionnaire import Questionnaire
from assess.domain.variables import has_lead_items

LEAD_RULE = {
    "de": "Regel 6, Fakten, die nur die Hauptansprechperson beantwortet (informant = "
    "lead): ihre Antwort gilt als Antwort aller Befragten derselben Erhebung. Die Zellen "
    "dieser Items enthalten daher in jeder Zeile der Erhebung ihre Antwort, und die Werte "
    "zählen sie mit. Ohne Hauptansprechperson, oder wo sie ein solches Item leer ließ, hat es "
    "für niemanden einen Wert (Status skipped).",
    "en": "Rule 6, facts asked of the lead respondent only (informant = lead): the lead's answer "
    "counts as the answer of every respondent of the same assessment. So these items' "
    "cells hold the lead's answer in every row of the assessment, and the scores count it. "
    "Without a lead, or where the lead left such an item empty, it has no score for anyone "
    "(status skipped).",
}
IMPORTANCE_RULE = {
    "de": "imp_<Ebene>: wie wichtig die befragte Person die Ebene nimmt, auf der "
    "Wichtigkeitsskala ({low} bis {high}); geht in keinen Wert ein. Die Wichtigkeit einer "
    "Ebene für eine Organisation ist der Mittelwert der gegebenen Einschätzungen, ihr "
    "Gewicht (Mittelwert − {low}) / ({high} − {low}).",
    "en": "imp_<level>: how important the respondent rates the level, on the importance "
    "scale ({low} to {high}); part of no score. A level's importance for an organisation "
    "is the mean of the ratings given, its weight (mean − {low}) / ({high} − {low}).",
}
LEAD_PRIVACY = {
    "de": "Die Hauptansprechperson ist je Erhebung eine Person, die ihre Kolleginnen "
    "und Kollegen kennen: eine Markierung neben dem Pseudonym der Organisation würde ihre "
    "Zeile benennen. Die Spalte lead ist daher nur gefüllt, wo der Export die Zeilen von "
    f"mindestens {MIN_GROUP_RESPONDENTS} Hauptansprechpersonen enthält. Dann steht jede dieser "
    "Zeilen ohne Bezug zu ihrer Organisation am Ende der Datei, nach ihrem Pseudonym "
    "geordnet: ohne Pseudonym der Organisation, Merkmale und Profilangaben, die Items der "
    "Hauptansprechperson mit Status withheld, ohne die Werte von Ebenen mit einem solchen Item "
    "(mit den übrigen Antworten der Zeile ergäben sie dessen Antwort) und dann auch ohne "
    "Gesamtwert; bei den "
    "Profilangaben ihrer Organisation zählt sie nicht mit. In allen anderen Zeilen ist "
    "lead = 0. Bei weniger Hauptansprechpersonen bleibt die Spalte leer, und ihre Zeilen "
    "stehen bei ihrer Organisation, wo die übernommenen Fakten sie wie alle anderen "
    "aussehen lassen.",
    "en": "The lead respondent is one person per assessment whom colleagues know: a flag "
    "beside the organisation's pseudonym would name that person's row. So the lead column "
    "is filled "
    f"only where the export holds the rows of at least {MIN_GROUP_RESPONDENTS} leads. Then "
    "each of those rows stands apart from its organisation at the end of the file, in "
    "pseudonym order: no organisation pseudonym, attributes or profile answers, the lead "
    "items with status withheld, no scores of levels with a lead item (with the row's other "
    "answers they would give its answer), and then no overall score; it counts in none of "
    "its organisation's "
    "profile answers. Every other row has lead = 0. With fewer leads the column is empty "
    "and their rows stay with their organisations, where the lent facts make them look like "
    "everyone else's.",
}


def scoring_notes(questionnaire: Questionnaire, language: str) -> list[str]:
    """Rules the codebook adds where the questionnaire has lead items or importance."""
    notes = [LEAD_RULE[language]] if has_lead_items(questionnaire) else []
    if questionnaire.importance is not None:
        low, high = questionnaire.importance.min, questionnaire.importance.max
        notes.append(IMPORTANCE_RULE[language].format(low=low, high=high))
    return notes


def anonymity_notes(questionnaire: Questionnaire, language: str) -> list[str]:
    """Anonymity rules the codebook adds where the questionnaire has lead items."""
    return [LEAD_PRIVACY[language]] if has_lead_items(questionnaire) else []
