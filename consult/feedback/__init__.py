"""What experts give: comments, stances, ratings, amendments and questionnaire answers."""
