"""The bundled questionnaires, shipped in the wheel as `assess.questionnaires`."""
