"""Actions, auth functions and validators of the conference catalogue."""
