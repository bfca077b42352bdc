"""HTTP for the survey: answering (public link and My account), results, the editor."""
